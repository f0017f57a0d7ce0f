// AssemblyScript WASI test program of wasm2native (tests/wasi.rs, built by tests/wasi/build.sh).
// Run with the fixture directory preopened as "/": prints its arguments and environment, reads
// /hello.txt, lists /dir, writes, renames, reads back and removes a file, reads stdin, and exits
// with the status given by the EXIT_STATUS variable (0 without it).
import {
  errno,
  errnoToString,
  fd,
  fd_close,
  fd_prestat_dir_name,
  fd_prestat_get,
  fd_read,
  fd_readdir,
  fd_write,
  iovec,
  dirent,
  oflags,
  path_open,
  path_rename,
  path_unlink_file,
  prestat,
  rights,
} from "@assemblyscript/wasi-shim/assembly/bindings/wasi_snapshot_preview1";

const scratch = memory.data(64);

function fail(what: string, err: errno): void {
  console.log(what + ": " + errnoToString(err) + " FAIL");
  process.exitCode = 1;
}

// The descriptor of the preopen named `name`, or -1.
function findPreopen(name: string): i32 {
  for (let f: u32 = 3; f < 64; f++) {
    if (fd_prestat_get(f, changetype<prestat>(scratch)) != errno.SUCCESS) continue;
    const len = load<u32>(scratch, 4);
    const buf = new ArrayBuffer(len);
    if (fd_prestat_dir_name(f, changetype<usize>(buf), len) != errno.SUCCESS) continue;
    if (String.UTF8.decode(buf) == name) return <i32>f;
  }
  return -1;
}

function open(dir: fd, path: string, flags: u16, write: bool): i32 {
  const p = String.UTF8.encode(path);
  let r: u64 = rights.FD_READ | rights.FD_SEEK | rights.FD_TELL | rights.FD_READDIR |
    rights.FD_FILESTAT_GET;
  if (write) r |= rights.FD_WRITE;
  const err = path_open(dir, 0, changetype<usize>(p), p.byteLength, flags, r, r, 0, scratch);
  if (err != errno.SUCCESS) {
    fail("open " + path, err);
    return -1;
  }
  return <i32>load<u32>(scratch);
}

function readAll(f: fd): string {
  let out = "";
  const buf = new ArrayBuffer(7); // small on purpose: many reads
  const iov = changetype<iovec>(scratch + 16);
  for (;;) {
    iov.buf = changetype<usize>(buf);
    iov.buf_len = buf.byteLength;
    const err = fd_read(f, changetype<usize>(iov), 1, scratch);
    if (err != errno.SUCCESS) {
      fail("read", err);
      break;
    }
    const n = load<u32>(scratch);
    if (n == 0) break;
    out += String.UTF8.decodeUnsafe(changetype<usize>(buf), n);
  }
  return out;
}

function writeAll(f: fd, text: string): void {
  const data = String.UTF8.encode(text);
  const iov = changetype<iovec>(scratch + 16);
  iov.buf = changetype<usize>(data);
  iov.buf_len = data.byteLength;
  const err = fd_write(f, changetype<usize>(iov), 1, scratch);
  if (err != errno.SUCCESS) fail("write", err);
  else if (load<u32>(scratch) != <u32>data.byteLength) fail("short write", errno.IO);
}

function listDir(dir: fd): string[] {
  const names = new Array<string>();
  const buf = new ArrayBuffer(4096);
  const err = fd_readdir(dir, changetype<usize>(buf), buf.byteLength, 0, scratch);
  if (err != errno.SUCCESS) {
    fail("readdir", err);
    return names;
  }
  const used = load<u32>(scratch);
  let pos: u32 = 0;
  while (pos + offsetof<dirent>() <= used) {
    const d = changetype<dirent>(changetype<usize>(buf) + pos);
    const start = changetype<usize>(buf) + pos + offsetof<dirent>();
    names.push(String.UTF8.decodeUnsafe(start, d.namlen));
    pos += offsetof<dirent>() + d.namlen;
  }
  names.sort();
  return names;
}

console.log("Hello from AssemblyScript");
const argv = process.argv;
console.log("arguments: " + (argv.length - 1).toString());
for (let i = 1; i < argv.length; i++) console.log("  [" + argv[i] + "]");
const keys = process.env.keys();
keys.sort();
console.log("environment: " + keys.length.toString());
for (let i = 0; i < keys.length; i++) console.log("  " + keys[i] + "=" + process.env.get(keys[i]));

const root = findPreopen("/");
if (root < 0) {
  console.log("no preopen named /");
  process.exit(1);
}
const hello = open(root, "hello.txt", 0, false);
if (hello >= 0) {
  console.log("hello.txt: " + readAll(hello).trimEnd());
  fd_close(hello);
}
const dir = open(root, "dir", oflags.DIRECTORY, false);
if (dir >= 0) {
  console.log("dir: " + listDir(dir).join(", "));
  fd_close(dir);
}
const out = open(root, "as_out.txt", oflags.CREAT | oflags.TRUNC, true);
if (out >= 0) {
  writeAll(out, "written by AssemblyScript\n");
  fd_close(out);
  const from = String.UTF8.encode("as_out.txt");
  const to = String.UTF8.encode("as_renamed.txt");
  let err = path_rename(root, changetype<usize>(from), from.byteLength, root,
    changetype<usize>(to), to.byteLength);
  if (err != errno.SUCCESS) fail("rename", err);
  const back = open(root, "as_renamed.txt", 0, false);
  if (back >= 0) {
    console.log("read back: " + readAll(back).trimEnd());
    fd_close(back);
  }
  err = path_unlink_file(root, changetype<usize>(to), to.byteLength);
  if (err != errno.SUCCESS) fail("unlink", err);
}
const input = readAll(0);
console.log("stdin: " + input.length.toString() + " characters, " +
  (input.split("\n").length - 1).toString() + " lines");
if (process.env.has("EXIT_STATUS")) process.exit(I32.parseInt(process.env.get("EXIT_STATUS")));
process.exit(process.exitCode);
