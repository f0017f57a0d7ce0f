/* meshoptimizer driver (C++): the mesh pipeline of a game engine's asset importer over a
 * generated terrain: deduplicate an unindexed triangle soup, optimize for the vertex cache,
 * overdraw and vertex fetch, analyze each, simplify to 25% and 2%, split into meshlets, and
 * compress and decompress the index and vertex buffers (10 times). Prints counts, statistics and checksums.
 *
 *     meshopt_bench [GRID] [PASSES]     (defaults 320 and 2: a 320x320-vertex terrain)
 *
 * Heights, normals and texture coordinates are computed with + - * / and sqrtf only, and the
 * library's statistics are printed to 6 significant digits, so the native and wasm32 builds print
 * the same bytes (build.py compiles both with -ffp-contract=off). */
#include "bench_common.h"
#include "meshoptimizer.h"

#include <math.h>

#include <vector>

struct Vertex {
    float px, py, pz;
    float nx, ny, nz;
    float u, v;
};

/* Integer value noise: a lattice of random heights, bilinearly blended, several octaves. */
static float height(unsigned x, unsigned y) {
    int h = 0;
    for (unsigned oct = 0, cell = 64, amp = 4096; oct < 5; oct++, cell /= 2, amp /= 2) {
        unsigned cx = x / cell, cy = y / cell, fx = x % cell, fy = y % cell;
        int c[4];
        for (int k = 0; k < 4; k++) {
            uint64_t s = (uint64_t)(cx + (k & 1)) * 0x9E3779B1u ^ (uint64_t)(cy + (k >> 1)) * 0x85EBCA77u;
            s ^= oct * 0xC2B2AE3Du;
            s = (s ^ (s >> 15)) * 0x2C1B3C6Du;
            c[k] = (int)((s >> 7) % (2 * amp)) - (int)amp;
        }
        int top = c[0] * (int)(cell - fx) + c[1] * (int)fx;
        int bot = c[2] * (int)(cell - fx) + c[3] * (int)fx;
        h += (top * (int)(cell - fy) + bot * (int)fy) / (int)(cell * cell);
    }
    return (float)h / 256.0f;
}

/* An unindexed triangle soup (3 vertices per triangle), triangles in shuffled order. */
static std::vector<Vertex> terrain(unsigned n, uint64_t seed) {
    std::vector<float> hs((size_t)n * n);
    for (unsigned y = 0; y < n; y++)
        for (unsigned x = 0; x < n; x++) hs[(size_t)y * n + x] = height(x + (unsigned)seed * 977, y);
    std::vector<Vertex> grid((size_t)n * n);
    for (unsigned y = 0; y < n; y++)
        for (unsigned x = 0; x < n; x++) {
            float dx = hs[(size_t)y * n + (x + 1 < n ? x + 1 : x)] - hs[(size_t)y * n + (x ? x - 1 : x)];
            float dy = hs[(size_t)(y + 1 < n ? y + 1 : y) * n + x] - hs[(size_t)(y ? y - 1 : y) * n + x];
            float len = sqrtf(dx * dx + dy * dy + 4.0f);
            grid[(size_t)y * n + x] = {(float)x, hs[(size_t)y * n + x], (float)y, -dx / len,
                                       2.0f / len, -dy / len, (float)x / (float)n, (float)y / (float)n};
        }
    size_t quads = (size_t)(n - 1) * (n - 1);
    std::vector<unsigned> order(quads);
    for (size_t i = 0; i < quads; i++) order[i] = (unsigned)i;
    bench_seed(seed + 1);
    for (size_t i = quads - 1; i > 0; i--) {
        size_t j = bench_rand() % (i + 1);
        unsigned t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    std::vector<Vertex> soup;
    soup.reserve(quads * 6);
    for (unsigned q : order) {
        size_t x = q % (n - 1), y = q / (n - 1), a = y * n + x, b = a + 1, c = a + n, d = c + 1;
        for (size_t k : {a, c, b, b, c, d}) soup.push_back(grid[k]);
    }
    return soup;
}

static uint64_t hash_indices(uint64_t h, const std::vector<unsigned> &ix, size_t count) {
    return bench_fnv1a(h, ix.data(), count * sizeof(unsigned));
}

static uint64_t pass(unsigned n, uint64_t seed) {
    std::vector<Vertex> soup = terrain(n, seed);
    size_t index_count = soup.size();
    std::vector<unsigned> remap(index_count);
    size_t vertex_count = meshopt_generateVertexRemap(remap.data(), nullptr, index_count, soup.data(),
                                                      index_count, sizeof(Vertex));
    std::vector<unsigned> indices(index_count);
    std::vector<Vertex> vertices(vertex_count);
    meshopt_remapIndexBuffer(indices.data(), nullptr, index_count, remap.data());
    meshopt_remapVertexBuffer(vertices.data(), soup.data(), index_count, sizeof(Vertex), remap.data());
    printf("terrain %ux%u: %zu triangles, %zu unique vertices\n", n, n, index_count / 3, vertex_count);

    const float *pos = &vertices[0].px;
    auto report = [&](const char *stage) {
        meshopt_VertexCacheStatistics vc =
            meshopt_analyzeVertexCache(indices.data(), index_count, vertex_count, 16, 0, 0);
        meshopt_OverdrawStatistics od =
            meshopt_analyzeOverdraw(indices.data(), index_count, pos, vertex_count, sizeof(Vertex));
        meshopt_VertexFetchStatistics vf =
            meshopt_analyzeVertexFetch(indices.data(), index_count, vertex_count, sizeof(Vertex));
        printf("  %-9s ACMR %.6g ATVR %.6g, overdraw %.6g (%u pixels), overfetch %.6g\n", stage,
               vc.acmr, vc.atvr, od.overdraw, od.pixels_covered, vf.overfetch);
    };
    report("indexed");
    meshopt_optimizeVertexCache(indices.data(), indices.data(), index_count, vertex_count);
    report("vcache");
    meshopt_optimizeOverdraw(indices.data(), indices.data(), index_count, pos, vertex_count,
                             sizeof(Vertex), 1.05f);
    report("overdraw");
    meshopt_optimizeVertexFetch(vertices.data(), indices.data(), index_count, vertices.data(),
                                vertex_count, sizeof(Vertex));
    report("vfetch");
    uint64_t h = hash_indices(BENCH_FNV_INIT, indices, index_count);

    std::vector<unsigned> lod(index_count);
    for (float ratio : {0.25f, 0.02f}) {
        float err = 0;
        size_t target = (size_t)(index_count * ratio) / 3 * 3;
        size_t got = meshopt_simplify(lod.data(), indices.data(), index_count, pos, vertex_count,
                                      sizeof(Vertex), target, 0.05f, 0, &err);
        printf("  simplify to %g: %zu triangles, error %.6g\n", ratio, got / 3, err);
        h = hash_indices(h, lod, got);
    }

    size_t max_meshlets = meshopt_buildMeshletsBound(index_count, 64, 124);
    std::vector<meshopt_Meshlet> meshlets(max_meshlets);
    std::vector<unsigned> mverts(index_count);
    std::vector<unsigned char> mtris(index_count);
    size_t count = meshopt_buildMeshlets(meshlets.data(), mverts.data(), mtris.data(), indices.data(),
                                         index_count, pos, vertex_count, sizeof(Vertex), 64, 124, 0.25f);
    const meshopt_Meshlet &last = meshlets[count - 1];
    printf("  meshlets: %zu, %u vertices referenced\n", count, last.vertex_offset + last.vertex_count);
    h = bench_fnv1a(h, meshlets.data(), count * sizeof(meshopt_Meshlet));

    std::vector<unsigned char> ibuf(meshopt_encodeIndexBufferBound(index_count, vertex_count));
    ibuf.resize(meshopt_encodeIndexBuffer(ibuf.data(), ibuf.size(), indices.data(), index_count));
    std::vector<unsigned char> vbuf(meshopt_encodeVertexBufferBound(vertex_count, sizeof(Vertex)));
    vbuf.resize(meshopt_encodeVertexBuffer(vbuf.data(), vbuf.size(), vertices.data(), vertex_count,
                                           sizeof(Vertex)));
    std::vector<unsigned> ib(index_count);
    std::vector<Vertex> vb(vertex_count);
    for (int rep = 0; rep < 10; rep++) {
        if (meshopt_decodeIndexBuffer(ib.data(), index_count, sizeof(unsigned), ibuf.data(), ibuf.size()) ||
            meshopt_decodeVertexBuffer(vb.data(), vertex_count, sizeof(Vertex), vbuf.data(), vbuf.size()) ||
            memcmp(vb.data(), vertices.data(), vertex_count * sizeof(Vertex))) {
            fprintf(stderr, "meshopt: codec round trip failed\n");
            exit(1);
        }
    }
    /* The index codec may rotate a triangle's vertices, so only the vertices must come back
     * as they were; the decoded indices go into the checksum. */
    h = hash_indices(h, ib, index_count);
    printf("  codec: indices %zu -> %zu bytes, vertices %zu -> %zu bytes\n",
           index_count * sizeof(unsigned), ibuf.size(), vertex_count * sizeof(Vertex), vbuf.size());
    h = bench_fnv1a(h, ibuf.data(), ibuf.size());
    return bench_fnv1a(h, vbuf.data(), vbuf.size());
}

int main(int argc, char **argv) {
    unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 320;
    int passes = argc > 2 ? atoi(argv[2]) : 2;
    printf("meshoptimizer %d.%d\n", MESHOPTIMIZER_VERSION / 1000, MESHOPTIMIZER_VERSION % 1000 / 10);
    uint64_t h = BENCH_FNV_INIT;
    for (int p = 0; p < passes; p++) {
        uint64_t r = pass(n, (uint64_t)p);
        h = bench_fnv1a(h, &r, sizeof r);
    }
    printf("meshopt %d passes, checksum %016llx\n", passes, (unsigned long long)h);
    return 0;
}
