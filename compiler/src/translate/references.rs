//! Typed function references (WebAssembly 3.0): `call_ref`, `return_call_ref`,
//! `ref.as_non_null`, `br_on_null`, `br_on_non_null`. References are `VMFuncRef` pointers as everywhere else; their types only
//! matter to the validator, so no instruction here checks a signature.

use super::{Call, Translator};
use cranelift_codegen::ir::InstBuilder;
use wasm2native_abi::TrapCode;

impl Translator<'_, '_, '_, '_> {
    /// `call_ref $t` (or `return_call_ref $t`): calls the function the reference on top of the
    /// stack points to, whose type the validator proved is a subtype of `$t`.
    pub(super) fn call_ref(&mut self, type_index: u32, kind: Call) {
        let func_ref = self.pop();
        let nparams = self.env.module.meta.types[type_index as usize].params.len();
        let params = self.popn(nparams);
        let params = self.canon_all(&params);
        self.trapz(func_ref, TrapCode::NullFunctionReference);
        self.call_func_ref(func_ref, type_index, params, kind);
    }

    /// `ref.as_non_null`: traps on null, otherwise leaves the reference.
    pub(super) fn ref_as_non_null(&mut self) {
        let r = *self.stack.last().expect("validated: a reference");
        self.trapz(r, TrapCode::NullReference);
    }

    /// `br_on_null $l`: branches to `$l` (without the reference) when it is null, otherwise
    /// leaves it on the stack.
    pub(super) fn br_on_null(&mut self, depth: u32) {
        let r = self.pop();
        let (target, n) = self.branch_target(depth);
        let args = self.peekn(n).to_vec();
        let args = self.block_args(&args);
        let cont = self.b.create_block();
        self.b.ins().brif(r, cont, &[], target, &args);
        self.b.seal_block(cont);
        self.b.switch_to_block(cont);
        self.push(r);
    }

    /// `br_on_non_null $l`: branches to `$l` with the reference when it is not null,
    /// otherwise drops it.
    pub(super) fn br_on_non_null(&mut self, depth: u32) {
        let r = self.pop();
        let (target, n) = self.branch_target(depth);
        let mut args = self.peekn(n - 1).to_vec();
        args.push(r);
        let args = self.block_args(&args);
        let cont = self.b.create_block();
        self.b.ins().brif(r, target, &args, cont, &[]);
        self.b.seal_block(cont);
        self.b.switch_to_block(cont);
    }
}
