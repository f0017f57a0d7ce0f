//! Where each function starts in the text section, chosen so that its innermost loops cross as
//! few 64-byte lines as they can.
//!
//! Cranelift does not align loop headers. A hot loop's speed then depends on where the function
//! happens to land: on this project's benchmark machine (AMD EPYC) matmul's 78-byte inner loop
//! took 2.17 s when it spanned two 64-byte lines and 2.68 s (wasmtime's time for the same
//! machine code) or 3.31 s when it spanned three. Instead of padding inside functions (which
//! would mean re-encoding branches), a function's start is moved to the 16-byte boundary within
//! its 64-byte line that minimizes the lines its innermost loops span; the padding goes after
//! the previous function's last instruction, where it is never executed.
//!
//! Cranelift reports each function's basic-block starts and edges (`machine_code_cfg_info`);
//! an edge to a block that starts at or before the edge's source block is a back edge, and the
//! bytes from its target to the end of its source block are a loop. Only innermost loops
//! count, weighted by nesting depth: without a profile the deepest loop is the likely hot one
//! (in matmul, an unweighted count let the initialization loops outvote the multiply loop).

/// Cache line (and instruction fetch window) size the placement optimizes for.
pub const LINE: usize = 64;
/// Function starts stay multiples of this (the usual x86-64 function alignment).
pub const STEP: usize = 16;

/// A loop in a function's code: bytes `start..end` from the function's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Loop {
    start: usize,
    end: usize,
}

/// The loops of a function, from Cranelift's block layout: `bb_starts` (sorted block start
/// offsets) and `bb_edges` (source block start, target block start).
fn loops(bb_starts: &[usize], bb_edges: &[(usize, usize)], code_len: usize) -> Vec<Loop> {
    let block_end = |start: usize| {
        let i = bb_starts.partition_point(|&s| s <= start);
        bb_starts.get(i).copied().unwrap_or(code_len)
    };
    let mut loops: Vec<Loop> = bb_edges
        .iter()
        .filter(|(from, to)| to <= from)
        .map(|&(from, to)| Loop {
            start: to,
            end: block_end(from),
        })
        .collect();
    loops.sort_by_key(|l| (l.start, l.end));
    loops.dedup();
    loops
}

/// The innermost loops (no other loop lies inside) with their nesting depth (1 for a loop in
/// no other).
fn innermost_loops(loops: &[Loop]) -> Vec<(Loop, u32)> {
    let contains = |outer: &Loop, inner: &Loop| {
        outer != inner && outer.start <= inner.start && inner.end <= outer.end
    };
    loops
        .iter()
        .filter(|l| !loops.iter().any(|inner| contains(l, inner)))
        .map(|l| {
            let depth = 1 + loops.iter().filter(|outer| contains(outer, l)).count() as u32;
            (*l, depth)
        })
        .collect()
}

/// Number of `LINE`-byte lines that `start..end` touches.
fn lines_spanned(start: usize, end: usize) -> usize {
    if end <= start {
        return 0;
    }
    (end - 1) / LINE - start / LINE + 1
}

/// The offset within a `LINE`-byte line (a multiple of [`STEP`]) at which the function should
/// start, or `None` when it has no loop and any `STEP` boundary will do.
pub fn preferred_start(
    bb_starts: &[usize],
    bb_edges: &[(usize, usize)],
    code_len: usize,
) -> Option<usize> {
    let innermost = innermost_loops(&loops(bb_starts, bb_edges, code_len));
    if innermost.is_empty() {
        return None;
    }
    // Fewest lines over the innermost loops, each weighted as if it ran 8 times as often as
    // the loop around it (the usual static estimate: the deepest loop is the hot one); ties go
    // to the earliest start (least padding).
    (0..LINE).step_by(STEP).min_by_key(|&residue| {
        innermost
            .iter()
            .map(|(l, depth)| {
                let weight = 8u64.saturating_pow(depth - 1);
                weight.saturating_mul(lines_spanned(residue + l.start, residue + l.end) as u64)
            })
            .fold(0u64, u64::saturating_add)
    })
}

/// Bytes of padding to put after the previous function (ending at `offset` in the section) so
/// that the next starts at `preferred` within its line, or at the next [`STEP`] boundary.
pub fn padding_before(offset: usize, preferred: Option<usize>) -> usize {
    match preferred {
        Some(residue) => (residue + LINE - offset % LINE) % LINE,
        None => offset.next_multiple_of(STEP) - offset,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_edges_make_innermost_loops() {
        // Blocks at 0, 10 (outer loop header), 30 (inner loop header), 60, 80; code ends at 100.
        let starts = [0, 10, 30, 60, 80];
        let edges = [(0, 10), (10, 30), (30, 60), (60, 30), (60, 80), (80, 10)];
        assert_eq!(
            innermost_loops(&loops(&starts, &edges, 100)),
            vec![(Loop { start: 30, end: 80 }, 2)]
        );
        // A self-loop is a loop too.
        assert_eq!(
            innermost_loops(&loops(&[0, 8], &[(8, 8)], 20)),
            vec![(Loop { start: 8, end: 20 }, 1)]
        );
        assert!(loops(&[0, 8], &[(0, 8)], 20).is_empty());
    }

    #[test]
    fn start_minimizes_lines_of_the_loop() {
        assert_eq!(lines_spanned(0, 64), 1);
        assert_eq!(lines_spanned(26, 104), 2);
        assert_eq!(lines_spanned(58, 136), 3);
        // matmul's inner loop: 78 bytes at offset 0x4ba in its function. Starting the function
        // at 0 puts the loop at 58 within its line (3 lines); at 16, at 10 (2 lines).
        let starts = [0, 0x4ba, 0x508];
        let edges = [(0, 0x4ba), (0x4ba, 0x4ba)];
        assert_eq!(preferred_start(&starts, &edges, 0x508), Some(16));
        assert_eq!(preferred_start(&[0], &[], 40), None);
        // Three 64-byte top-level loops fit one line each only at 0; they do not outvote the
        // same inner loop nested in an outer one.
        let starts = [0, 0x40, 0x80, 0xc0, 0x4ba, 0x508, 0x520];
        let edges = [
            (0, 0),
            (0x40, 0x40),
            (0x80, 0x80),
            (0x4ba, 0x4ba),
            (0x508, 0xc0),
        ];
        assert_eq!(preferred_start(&starts, &edges, 0x530), Some(16));
    }

    #[test]
    fn padding_reaches_the_preferred_offset() {
        assert_eq!(padding_before(100, Some(16)), 44);
        assert_eq!(padding_before(128, Some(0)), 0);
        assert_eq!(padding_before(100, None), 12);
        assert_eq!(padding_before(96, None), 0);
    }
}
