//! Tail duplication of interpreter dispatch.
//!
//! An interpreter compiled to wasm is a loop whose header loads the next opcode and dispatches
//! with one `br_table`; every handler jumps back to the header, so all handlers share one
//! indirect jump and the branch predictor sees a single site for every opcode transition.
//! Native compilers give each handler its own indirect jump (computed goto, or clang's tail
//! duplication). This pass does the same on the CLIF of a function: a small block ending in a
//! `br_table` with many targets (a *dispatch header*) is copied into each predecessor that
//! jumps to it unconditionally, so each handler ends in its own `br_table`.
//!
//! SSA stays valid for any header: after the copies, a value of the header (a block parameter
//! or an instruction result) has one definition per copy (plus the header's own, if other
//! branches still reach it), and every use outside the header is rewritten to the definition
//! that reaches it, adding block parameters where definitions meet (the on-demand SSA
//! construction of Braun et al., "Simple and Efficient Construction of SSA Form", 2013).
//! Parameters whose arguments turn out all equal are removed by Cranelift's
//! `remove_constant_phis` before optimization.

use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::flowgraph::ControlFlowGraph;
use cranelift_codegen::ir::{
    Block, BlockArg, BlockCall, Function, Inst, InstBuilder, InstructionData, JumpTableData, Value,
};
use std::collections::{HashMap, HashSet, VecDeque};

/// Most instructions, besides the `br_table`, in a header that is copied: the copies add at most
/// this many instructions per predecessor.
const MAX_HEADER_INSTS: usize = 16;
/// Fewest distinct targets of a `br_table` that makes its block a dispatch header.
const MIN_TARGETS: usize = 8;
/// Most copies of headers made in one function.
const MAX_COPIES: usize = 512;
/// Most header values used outside the header. Each becomes a block parameter of every target
/// of the copies; with many, the register allocator spills and moves them on the edges:
/// SQLite's `sqlite3VdbeExec` has 21 (its loop-carried locals), and copying its header into
/// just the 2 blocks that jump to it ran 9% more instructions in that function.
const MAX_ESCAPING: usize = 12;
/// Most values a header's copies may pass on their edges: copies x (distinct targets x header
/// values used outside it + the arguments of the `br_table`), each a block argument and so a
/// possible move. This bounds the code added: Lua's `luaV_execute` needs 59k (79 copies, 83
/// targets, 9 values); without a bound, SQLite's loop latch (which ends in the dispatch once the
/// header is copied into it) took 180 copies passing 21 values to 153 targets, 2.5 MB of code.
const MAX_EDGE_VALUES: usize = 1 << 16;

/// Copies each dispatch header of `func` into the predecessors that jump to it (see the module
/// documentation), within the limits above.
pub fn duplicate_dispatch(func: &mut Function) {
    let mut copies = 0;
    let mut rejected = HashSet::new();
    let mut aliases_resolved = false;
    loop {
        let cfg = ControlFlowGraph::with_function(func);
        let Some((header, shape, preds)) = find_header(func, &cfg, &rejected) else {
            return;
        };
        if !aliases_resolved {
            // Uses of aliases would escape the rewriting below, which compares values.
            func.dfg.resolve_all_aliases();
            aliases_resolved = true;
        }
        let values = HeaderValues::of(func, header);
        let edge_values = preds.len() * (shape.targets * values.escaping() + shape.arguments);
        if copies + preds.len() > MAX_COPIES
            || values.escaping() > MAX_ESCAPING
            || edge_values > MAX_EDGE_VALUES
        {
            rejected.insert(header);
            continue;
        }
        copies += preds.len();
        duplicate(func, header, &preds, values);
    }
}

/// The first dispatch header in layout order, not `rejected`, that has at least 2
/// predecessors ending in a `jump` to it: the header, its `br_table` and those predecessors.
fn find_header(
    func: &Function,
    cfg: &ControlFlowGraph,
    rejected: &HashSet<Block>,
) -> Option<(Block, Dispatch, Vec<Block>)> {
    func.layout.blocks().find_map(|block| {
        if rejected.contains(&block) {
            return None;
        }
        let targets = dispatch_targets(func, block)?;
        let preds: Vec<Block> = cfg
            .pred_iter(block)
            .filter(|p| p.block != block && is_plain_jump(func, p.inst))
            .map(|p| p.block)
            .collect();
        (preds.len() >= 2).then_some((block, targets, preds))
    })
}

/// The `br_table` of a dispatch header.
struct Dispatch {
    /// Its number of distinct targets.
    targets: usize,
    /// The number of arguments it passes, over all its entries.
    arguments: usize,
}

/// The `br_table` of `block` if `block` is a dispatch header: small, calling nothing and ending
/// in a `br_table` with at least [`MIN_TARGETS`] distinct targets.
fn dispatch_targets(func: &Function, block: Block) -> Option<Dispatch> {
    let last = func.layout.last_inst(block)?;
    let InstructionData::BranchTable { table, .. } = func.dfg.insts[last] else {
        return None;
    };
    let pool = &func.dfg.value_lists;
    let entries = func.dfg.jump_tables[table].all_branches();
    let targets: HashSet<Block> = entries.iter().map(|call| call.block(pool)).collect();
    let arguments = entries.iter().map(|call| call.len(pool)).sum();
    let body: Vec<Inst> = func.layout.block_insts(block).collect();
    let body = &body[..body.len() - 1];
    let small = body.len() <= MAX_HEADER_INSTS
        && body
            .iter()
            .all(|&inst| !func.dfg.insts[inst].opcode().is_call());
    (small && targets.len() >= MIN_TARGETS).then_some(Dispatch {
        targets: targets.len(),
        arguments,
    })
}

/// A header's parameters and results, and the instructions outside it that use them.
struct HeaderValues {
    defined: HashSet<Value>,
    uses: Vec<Inst>,
    escaping: HashSet<Value>,
}

impl HeaderValues {
    fn of(func: &Function, header: Block) -> Self {
        let defined: HashSet<Value> = func
            .dfg
            .block_params(header)
            .iter()
            .copied()
            .chain(
                func.layout
                    .block_insts(header)
                    .flat_map(|inst| func.dfg.inst_results(inst).iter().copied()),
            )
            .collect();
        let mut uses = Vec::new();
        let mut escaping = HashSet::new();
        for block in func.layout.blocks().filter(|&block| block != header) {
            for inst in func.layout.block_insts(block) {
                let used: Vec<Value> = func
                    .dfg
                    .inst_values(inst)
                    .filter(|v| defined.contains(v))
                    .collect();
                if !used.is_empty() {
                    uses.push(inst);
                    escaping.extend(used);
                }
            }
        }
        HeaderValues {
            defined,
            uses,
            escaping,
        }
    }

    /// The number of header values used outside the header, ignoring the jumps into it that
    /// the copies replace (a value passed back to the header only is counted too: a bound).
    fn escaping(&self) -> usize {
        self.escaping.len()
    }
}

/// Whether `inst` is a `jump` whose arguments are all plain values.
fn is_plain_jump(func: &Function, inst: Inst) -> bool {
    let InstructionData::Jump { destination, .. } = func.dfg.insts[inst] else {
        return false;
    };
    destination
        .args(&func.dfg.value_lists)
        .all(|arg| matches!(arg, BlockArg::Value(_)))
}

/// Replaces the `jump header(args)` ending each of `preds` by a copy of `header`, then rewrites
/// every use of the header's values outside it to the definition that reaches it.
fn duplicate(func: &mut Function, header: Block, preds: &[Block], values: HeaderValues) {
    let HeaderValues { defined, uses, .. } = values;
    let mut repair = Repair {
        header,
        defined,
        copies: HashMap::new(),
        reaching: HashMap::new(),
        pending: VecDeque::new(),
    };
    let mut rewrite = uses;
    for &pred in preds {
        let (map, copied) = copy_header(func, header, pred);
        repair.copies.insert(pred, map);
        rewrite.extend(copied);
    }
    let cfg = ControlFlowGraph::with_function(func);
    for inst in rewrite {
        // The jumps replaced by copies are no longer laid out.
        let Some(block) = func.layout.inst_block(inst) else {
            continue;
        };
        let values: Vec<Value> = func.dfg.inst_values(inst).collect();
        let values: Vec<Value> = values
            .into_iter()
            .map(|v| repair.at_entry(func, &cfg, block, v))
            .collect();
        func.dfg.overwrite_inst_values(inst, values.into_iter());
    }
    repair.add_pending_arguments(func, &cfg);
}

/// Replaces the `jump header(args)` that ends `pred` by a copy of `header`'s instructions, with
/// the header's parameters replaced by `args`. Returns the header's values mapped to those of the
/// copy, and the copied instructions.
fn copy_header(
    func: &mut Function,
    header: Block,
    pred: Block,
) -> (HashMap<Value, Value>, Vec<Inst>) {
    let jump = func
        .layout
        .last_inst(pred)
        .expect("predecessors end in a jump");
    let args: Vec<Value> = func.dfg.insts[jump]
        .branch_destination(&func.dfg.jump_tables, &func.dfg.exception_tables)[0]
        .args(&func.dfg.value_lists)
        .filter_map(|arg| arg.as_value())
        .collect();
    func.layout.remove_inst(jump);
    let mut map: HashMap<Value, Value> = func
        .dfg
        .block_params(header)
        .iter()
        .copied()
        .zip(args)
        .collect();
    let insts: Vec<Inst> = func.layout.block_insts(header).collect();
    let mut copied = Vec::with_capacity(insts.len());
    for &inst in &insts[..insts.len() - 1] {
        let copy = func.dfg.clone_inst(inst);
        func.dfg
            .map_inst_values(copy, |v| map.get(&v).copied().unwrap_or(v));
        for (&old, &new) in func
            .dfg
            .inst_results(inst)
            .iter()
            .zip(func.dfg.inst_results(copy))
        {
            map.insert(old, new);
        }
        func.layout.append_inst(copy, pred);
        let srcloc = func.srcloc(inst);
        func.set_srcloc(copy, srcloc);
        copied.push(copy);
    }
    let dispatch = insts[insts.len() - 1];
    copied.push(copy_br_table(func, dispatch, pred, &map));
    (map, copied)
}

/// Appends to `block` a copy of the `br_table` `inst` with its own jump table, values mapped
/// through `map`.
fn copy_br_table(
    func: &mut Function,
    inst: Inst,
    block: Block,
    map: &HashMap<Value, Value>,
) -> Inst {
    let InstructionData::BranchTable { arg, table, .. } = func.dfg.insts[inst] else {
        unreachable!("dispatch headers end in a br_table")
    };
    let mapped = |v: Value| map.get(&v).copied().unwrap_or(v);
    let calls: Vec<BlockCall> = func.dfg.jump_tables[table]
        .all_branches()
        .to_vec()
        .into_iter()
        .map(|call| {
            let target = call.block(&func.dfg.value_lists);
            let args: Vec<BlockArg> = call
                .args(&func.dfg.value_lists)
                .map(|a| match a {
                    BlockArg::Value(v) => BlockArg::Value(mapped(v)),
                    other => other,
                })
                .collect();
            BlockCall::new(target, args, &mut func.dfg.value_lists)
        })
        .collect();
    let table = func.create_jump_table(JumpTableData::new(calls[0], &calls[1..]));
    let srcloc = func.srcloc(inst);
    let mut cursor = FuncCursor::new(func).at_bottom(block);
    let copy = cursor.ins().br_table(mapped(arg), table);
    cursor.func.set_srcloc(copy, srcloc);
    copy
}

/// The state of the SSA rewriting after a header was copied.
struct Repair {
    header: Block,
    /// The header's parameters and results: the values that now have several definitions.
    defined: HashSet<Value>,
    /// For each block the header was copied into, the header's values mapped to the copy's.
    copies: HashMap<Block, HashMap<Value, Value>>,
    /// The definition of a header value that reaches the entry of a block.
    reaching: HashMap<(Block, Value), Value>,
    /// Block parameters added for a header value whose incoming arguments are yet to be added.
    pending: VecDeque<(Block, Value)>,
}

impl Repair {
    /// The definition of `value` that reaches the entry of `block` (`value` itself if it is
    /// not a header value). Walks up single predecessors; where several meet, adds a block
    /// parameter whose arguments [`Self::add_pending_arguments`] fills in.
    fn at_entry(
        &mut self,
        func: &mut Function,
        cfg: &ControlFlowGraph,
        block: Block,
        value: Value,
    ) -> Value {
        let (mut block, mut value) = (block, value);
        let mut walked = HashSet::new();
        let found = loop {
            if !self.defined.contains(&value) {
                break value;
            }
            if let Some(&found) = self.reaching.get(&(block, value)) {
                break found;
            }
            let mut preds = cfg.pred_iter(block).map(|p| p.block);
            let (Some(pred), None) = (preds.next(), preds.next()) else {
                if cfg.pred_iter(block).next().is_none() {
                    // Unreachable code (Cranelift removes it): the original definition stands.
                    break value;
                }
                let ty = func.dfg.value_type(value);
                let param = func.dfg.append_block_param(block, ty);
                self.pending.push_back((block, value));
                self.reaching.insert((block, value), param);
                break param;
            };
            if !walked.insert((block, value)) {
                // A cycle of single predecessors is unreachable, as above.
                break value;
            }
            if pred == self.header {
                break value;
            }
            if let Some(map) = self.copies.get(&pred) {
                value = map[&value];
            }
            block = pred;
        };
        for key in walked {
            self.reaching.insert(key, found);
        }
        found
    }

    /// Adds to every branch into a block given a parameter by [`Self::at_entry`] the
    /// definition that reaches the end of the branching block, in the order the parameters
    /// were added.
    fn add_pending_arguments(&mut self, func: &mut Function, cfg: &ControlFlowGraph) {
        while let Some((block, value)) = self.pending.pop_front() {
            let preds: Vec<(Block, Inst)> =
                cfg.pred_iter(block).map(|p| (p.block, p.inst)).collect();
            for (pred, branch) in preds {
                let arg = self.at_end(func, cfg, pred, value);
                let dfg = &mut func.dfg;
                for call in dfg.insts[branch]
                    .branch_destination_mut(&mut dfg.jump_tables, &mut dfg.exception_tables)
                {
                    if call.block(&dfg.value_lists) == block {
                        call.append_argument(arg, &mut dfg.value_lists);
                    }
                }
            }
        }
    }

    /// The definition of header value `value` that reaches the end of `block`.
    fn at_end(
        &mut self,
        func: &mut Function,
        cfg: &ControlFlowGraph,
        block: Block,
        value: Value,
    ) -> Value {
        if block == self.header {
            return value;
        }
        let value = self.copies.get(&block).map_or(value, |map| map[&value]);
        self.at_entry(func, cfg, block, value)
    }
}
