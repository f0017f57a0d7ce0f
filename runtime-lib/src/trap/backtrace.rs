//! Backtraces: the wasm frames the signal handler records at a trap, and the [`Trap`] they
//! become once control is back in the catch.

use super::registry::{find_function, funcs, imported_funcs, inlined_at, names};
use crate::abi::TrapCode;
use crate::abi::meta::name_at;
use std::fmt;

/// Most frames recorded in a backtrace.
const MAX_FRAMES: usize = 64;

/// What the signal handler records about a trap: plain data, written in a signal handler,
/// turned into a [`Trap`] (names looked up, inlined frames expanded) after the catch resumes.
///
/// All zero when empty, so that the thread-local holding it needs no initialized data.
#[derive(Clone, Copy)]
pub(super) struct TrapRecord {
    /// `None` only in [`TrapRecord::EMPTY`], which no catch reads.
    code: Option<TrapCode>,
    nframes: usize,
    /// Innermost first: the trapping PC, then each caller's return address minus one.
    frames: [usize; MAX_FRAMES],
    /// For an uncaught exception: the exception, and how to name its tag (the exception
    /// runtime's, so that programs without exceptions do not link it).
    exception: Option<(u64, TagNamer)>,
}

/// Names the tag of an exception (an `exnref`), if its module gives it a name.
pub(crate) type TagNamer = fn(u64) -> Option<String>;

impl TrapRecord {
    /// The record of a thread that has not trapped.
    pub(super) const EMPTY: TrapRecord = TrapRecord {
        code: None,
        nframes: 0,
        frames: [0; MAX_FRAMES],
        exception: None,
    };

    /// A record of trap `code` at `pc`, without callers yet.
    fn at(code: TrapCode, pc: usize) -> Self {
        let mut frames = [0; MAX_FRAMES];
        frames[0] = pc;
        TrapRecord {
            code: Some(code),
            nframes: 1,
            frames,
            exception: None,
        }
    }

    /// Records trap `code` at `pc` with the wasm frames reached from frame pointer `fp` and
    /// stack pointer `sp`.
    ///
    /// # Safety
    /// `fp` and `sp` must be the frame and stack pointers of the wasm code executing `pc`.
    pub(super) unsafe fn capture(code: TrapCode, pc: usize, fp: usize, sp: usize) -> Self {
        let mut rec = TrapRecord::at(code, pc);
        // A stack overflow can fault on a function's first instruction (`push rbp`), before it
        // links its frame, and a frameless leaf never links one: the caller's return address is
        // then on top of the stack, and `fp` is still the caller's frame.
        if find_function(pc).is_some_and(|(image, i)| {
            let f = &funcs(image)[i];
            f.frameless != 0 || f.code as usize == pc
        }) {
            // SAFETY: at a function's entry, and anywhere in a frameless one, the stack pointer
            // points at its return address.
            let ret = unsafe { *(sp as *const usize) };
            if find_function(ret.wrapping_sub(1)).is_some() {
                rec.frames[1] = ret.wrapping_sub(1);
                rec.nframes = 2;
            }
        }
        // SAFETY: wasm frames are linked by frame pointers; the walk stops at the first return
        // address that is not wasm code (the trampoline's caller).
        unsafe { rec.push_callers(fp, |_, ret| find_function(ret.wrapping_sub(1)).is_some()) };
        rec
    }

    /// Records `code` at `pc` with the return addresses of the frames linked from `fp` below
    /// stack address `limit` (0: no limit). Cheaper than [`Self::capture`]: return addresses
    /// that are not wasm code (trampolines) are dropped when the record becomes a [`Trap`].
    ///
    /// # Safety
    /// `fp` must be the frame pointer of the wasm code executing `pc`, its frames linked up to
    /// `limit`.
    pub(super) unsafe fn capture_until(code: TrapCode, pc: usize, fp: usize, limit: usize) -> Self {
        let mut rec = TrapRecord::at(code, pc);
        // SAFETY: per the contract.
        unsafe { rec.push_callers(fp, |fp, _| limit == 0 || fp < limit) };
        rec
    }

    /// Appends the return addresses (minus one) of the frames linked from frame pointer `fp`,
    /// caller after caller, while `more(frame pointer, return address)` holds.
    ///
    /// # Safety
    /// The frames `more` accepts must be linked by frame pointers.
    unsafe fn push_callers(&mut self, mut fp: usize, more: impl Fn(usize, usize) -> bool) {
        while self.nframes < MAX_FRAMES && fp != 0 && fp.is_multiple_of(8) {
            // SAFETY: per the contract.
            let (next_fp, ret) = unsafe { (*(fp as *const usize), *((fp + 8) as *const usize)) };
            if !more(fp, ret) {
                break;
            }
            self.frames[self.nframes] = ret.wrapping_sub(1);
            self.nframes += 1;
            if next_fp <= fp {
                break;
            }
            fp = next_fp;
        }
    }

    /// This record as the end of an uncaught exception `exn`, whose tag `namer` names.
    pub(super) fn with_exception(self, exn: u64, namer: TagNamer) -> Self {
        TrapRecord {
            exception: Some((exn, namer)),
            ..self
        }
    }

    /// The trap this record describes, with function names and inlined frames.
    pub(super) fn into_trap(self) -> Trap {
        Trap {
            code: self.code.unwrap_or(TrapCode::Unreachable),
            tag: self.exception.and_then(|(exn, namer)| namer(exn)),
            frames: self.frames(),
            truncated: self.nframes == MAX_FRAMES,
        }
    }

    fn frames(&self) -> Vec<Frame> {
        let mut frames = Vec::new();
        for &pc in &self.frames[..self.nframes] {
            let Some((image, i)) = find_function(pc) else {
                continue;
            };
            let names = names(image);
            let frame = |funcidx: u32| Frame {
                funcidx,
                name: name_at(names, funcidx).map(|n| String::from_utf8_lossy(n).into_owned()),
            };
            let f = &funcs(image)[i];
            if let Some(inlined) = inlined_at(f, (pc - f.code as usize) as u32) {
                frames.push(frame(inlined));
            }
            frames.push(frame(imported_funcs(image) + i as u32));
        }
        frames
    }
}

/// One wasm frame of a backtrace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// Function index.
    pub funcidx: u32,
    /// Name from the name section, if any.
    pub name: Option<String>,
}

/// A trap that ended a call into wasm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trap {
    pub code: TrapCode,
    /// For an uncaught exception, the name of its tag when the module gives it one.
    pub tag: Option<String>,
    /// Innermost first; functions inlined by the compiler appear as frames of their own.
    pub frames: Vec<Frame>,
    /// Whether the stack held more wasm frames than were recorded.
    pub truncated: bool,
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "wasm trap: {}", self.code.message())?;
        match &self.tag {
            Some(tag) => write!(f, " (tag {tag})"),
            None => Ok(()),
        }
    }
}

impl From<TrapCode> for Trap {
    /// A trap raised outside wasm code (instantiation, host functions): no frames.
    fn from(code: TrapCode) -> Trap {
        Trap {
            code,
            tag: None,
            frames: Vec::new(),
            truncated: false,
        }
    }
}

impl Trap {
    /// The report printed by executables: the message, then the wasm frames (runs of the same
    /// function, as in deep recursion, are folded into one line).
    pub fn report(&self) -> String {
        let mut s = format!("error: {self}\n");
        if self.frames.is_empty() {
            return s;
        }
        s.push_str("wasm backtrace:\n");
        let mut i = 0;
        while i < self.frames.len() {
            let frame = &self.frames[i];
            let run = self.frames[i..].iter().take_while(|f| *f == frame).count();
            let name = match &frame.name {
                Some(name) => format!("{name} (function {})", frame.funcidx),
                None => format!("wasm-function[{}]", frame.funcidx),
            };
            s.push_str(&format!("  {i:>3}: {name}\n"));
            if run > 1 {
                s.push_str(&format!(
                    "       ... {} more frames of the same function\n",
                    run - 1
                ));
            }
            i += run;
        }
        if self.truncated {
            s.push_str("       ... (backtrace truncated)\n");
        }
        s
    }
}
