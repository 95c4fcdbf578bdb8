//! Automatic judge assignment: give every entry of a round `k` judges, never a
//! conflicted one, keep the judges who already hold a score sheet, keep every judge's
//! load within an even share, and put as many entries as possible in front of judges
//! who know their field.
//!
//! The rule, as the judging rules state it:
//!
//! * every entry gets exactly `k` distinct judges that are not in conflict with it; an
//!   entry that already has `k` or more (fixed) judges keeps them all and gets no more;
//! * every fixed pair is kept (a fixed pair that is also a conflict is refused: the
//!   organiser recuses the judge first);
//! * no judge's load (fixed pairs included) exceeds `L = ⌈k·|E| / |J|⌉`, or, where that
//!   is impossible, the smallest cap that is possible;
//! * among all such assignments, the number of pairs whose entry's field is in the
//!   judge's expertise is the largest possible.
//!
//! Why a min-cost flow and not a greedy pass: giving each entry its best free judges in
//! turn uses up the versatile judges early, and later entries then get nobody from
//! their field (the `greedy_is_beaten` test shows one). The rule is exactly a
//! transportation problem: source → entry (capacity: judges still needed), entry →
//! judge (capacity 1, cost −1 when the field matches, else 0; only for pairs that are
//! neither conflicted nor fixed), judge → sink (capacity: cap minus fixed load). A flow
//! that carries every needed judge is an assignment; the cheapest one has the most
//! matches. Flows are integral, so the optimum is a real assignment.
//!
//! Why this shape of code: a national round (10,000 entries, 500 judges) has about
//! 5 million candidate pairs, so the network is stored compactly (compressed rows,
//! `u32` indices, 13 bytes per arc) and solved by a primal-dual method: potentials make
//! every residual arc's reduced cost non-negative, Dijkstra raises them, and Dinic's
//! blocking flows push everything the zero-reduced-cost arcs allow at once. Costs are
//! only 0 and −1, so very few Dijkstra rounds are needed. The smallest feasible cap is
//! found by binary search on maximum flows, each warm-started from the largest cap
//! already known to be too small. Figures are in docs/performance.md.
//!
//! Determinism: everything is sorted by id before any work starts and no hash map is
//! used, so the same problem (in any order) always gets the same answer.
//!
//! Limits: arc and node numbers are `u32`, which covers some two billion candidate
//! pairs; a round that large would need tens of gigabytes anyway.

use crate::ids::{EntryId, FieldId, UserId};
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// An entry of the round and its field, if it has one (an entry without a field never
/// counts as a match).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryNode {
    pub id: EntryId,
    pub field: Option<FieldId>,
}

/// A judge of the panel and the fields they know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JudgeNode {
    pub id: UserId,
    pub expertise: Vec<FieldId>,
}

/// One round's assignment problem. Order does not matter anywhere, and an entry or
/// judge listed twice counts once (a judge's expertise is then the union of the
/// listings; a twice-listed entry keeps the smallest field, `None` first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problem {
    pub entries: Vec<EntryNode>,
    pub judges: Vec<JudgeNode>,
    /// Judges per entry.
    pub k: usize,
    /// Pairs that must never be assigned (the caller works out who is conflicted).
    pub conflicts: Vec<(EntryId, UserId)>,
    /// Pairs that already exist (the judge holds a score sheet) and must be kept.
    pub fixed: Vec<(EntryId, UserId)>,
}

/// The assignment and the figures an organiser sees before confirming it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Solution {
    /// Every pair of the assignment (fixed ones included), sorted by (entry, judge).
    pub pairs: Vec<(EntryId, UserId)>,
    /// The pairs that were added (not fixed), sorted.
    pub added: Vec<(EntryId, UserId)>,
    /// ⌈k·|E|/|J|⌉ (0 when there are no judges or entries)
    pub target_cap: usize,
    /// The cap actually used (≥ target_cap when the target was infeasible).
    pub cap: usize,
    /// The smallest and largest number of entries a judge of the panel has (fixed
    /// pairs included; a judge with none counts as 0).
    pub min_load: usize,
    pub max_load: usize,
    /// Pairs whose entry's field is in the judge's expertise.
    pub expertise_matches: usize,
}

/// An entry that cannot get its judges: only `available` judges are free of conflict
/// with it (its fixed judges included), and it needs `needed` (that is, `k`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shortfall {
    pub entry: EntryId,
    pub available: usize,
    pub needed: usize,
}

/// Why no assignment was produced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssignError {
    /// Some entries have fewer than `k` judges free of conflict; no cap helps. Every
    /// such entry is named, in id order.
    #[error("{} entries cannot get enough judges", shortfalls.len())]
    Infeasible { shortfalls: Vec<Shortfall> },
    /// A judge who already scores an entry is also in conflict with it: the organiser
    /// must recuse the judge (removing the fixed pair) before assigning. The smallest
    /// such pair is named.
    #[error("judge {judge} is fixed on entry {entry} but in conflict with it")]
    FixedPairConflicted { entry: EntryId, judge: UserId },
    /// fixed pair or conflict naming an entry/judge not in the problem
    #[error("a fixed pair or conflict names an entry or judge that is not in the problem")]
    UnknownParticipant,
}

/// Assign judges to every entry of `problem` (see the module documentation for the
/// rule). The same problem, in any order, always gets the same answer.
pub fn assign(problem: &Problem) -> Result<Solution, AssignError> {
    Prepared::new(problem)?.solve()
}

/// The problem in index form: entries and judges sorted by id, pairs as sorted,
/// deduplicated index pairs. Every later step works on indices, so no input order or
/// hash order can influence the answer.
struct Prepared {
    k: usize,
    entries: Vec<EntryId>,
    fields: Vec<Option<FieldId>>,
    judges: Vec<UserId>,
    /// Sorted and deduplicated, by judge index.
    expertise: Vec<Vec<FieldId>>,
    /// (entry, judge) index pairs, sorted and deduplicated.
    conflicts: Vec<(usize, usize)>,
    fixed: Vec<(usize, usize)>,
    /// Where each entry's pairs start in `conflicts` and `fixed` (length |E| + 1).
    conflicts_from: Vec<usize>,
    fixed_from: Vec<usize>,
}

impl Prepared {
    fn new(problem: &Problem) -> Result<Self, AssignError> {
        let mut entries: Vec<(EntryId, Option<FieldId>)> =
            problem.entries.iter().map(|e| (e.id, e.field)).collect();
        entries.sort_unstable();
        entries.dedup_by_key(|e| e.0);
        let (entries, fields): (Vec<_>, Vec<_>) = entries.into_iter().unzip();

        let mut listed: Vec<(UserId, &[FieldId])> = problem
            .judges
            .iter()
            .map(|j| (j.id, j.expertise.as_slice()))
            .collect();
        listed.sort_unstable_by_key(|j| j.0);
        let mut judges: Vec<UserId> = Vec::with_capacity(listed.len());
        let mut expertise: Vec<Vec<FieldId>> = Vec::with_capacity(listed.len());
        for (id, fields) in listed {
            match (judges.last(), expertise.last_mut()) {
                (Some(last), Some(known)) if *last == id => known.extend_from_slice(fields),
                _ => {
                    judges.push(id);
                    expertise.push(fields.to_vec());
                }
            }
        }
        for known in &mut expertise {
            known.sort_unstable();
            known.dedup();
        }

        let conflicts = index_pairs(&problem.conflicts, &entries, &judges)?;
        let fixed = index_pairs(&problem.fixed, &entries, &judges)?;
        if let Some(&(e, j)) = fixed.iter().find(|p| conflicts.binary_search(p).is_ok()) {
            return Err(AssignError::FixedPairConflicted {
                entry: entries[e],
                judge: judges[j],
            });
        }
        let conflicts_from = starts(&conflicts, entries.len());
        let fixed_from = starts(&fixed, entries.len());
        Ok(Prepared {
            k: problem.k,
            entries,
            fields,
            judges,
            expertise,
            conflicts,
            fixed,
            conflicts_from,
            fixed_from,
        })
    }

    fn matches(&self, entry: usize, judge: usize) -> bool {
        self.fields[entry].is_some_and(|f| self.expertise[judge].binary_search(&f).is_ok())
    }

    /// Calls `f` with every judge, in index order, that may be added to `entry`:
    /// neither conflicted nor already fixed on it.
    fn for_each_candidate(&self, entry: usize, mut f: impl FnMut(usize)) {
        let conflicted =
            &self.conflicts[self.conflicts_from[entry]..self.conflicts_from[entry + 1]];
        let fixed = &self.fixed[self.fixed_from[entry]..self.fixed_from[entry + 1]];
        let (mut c, mut x) = (conflicted.iter().peekable(), fixed.iter().peekable());
        for judge in 0..self.judges.len() {
            if c.next_if(|p| p.1 == judge).is_some() || x.next_if(|p| p.1 == judge).is_some() {
                continue;
            }
            f(judge);
        }
    }

    fn solve(&self) -> Result<Solution, AssignError> {
        let (entries, judges, k) = (self.entries.len(), self.judges.len(), self.k);
        let target_cap = if entries == 0 || judges == 0 {
            0
        } else {
            k.saturating_mul(entries).div_ceil(judges)
        };

        let mut conflicted = vec![0usize; entries];
        for &(e, _) in &self.conflicts {
            conflicted[e] += 1;
        }
        // With no cap every entry is on its own, and it can be served exactly when at
        // least `k` judges are free of conflict with it (its fixed ones among them).
        let shortfalls: Vec<Shortfall> = (0..entries)
            .filter_map(|e| {
                let available = judges - conflicted[e];
                (available < k).then(|| Shortfall {
                    entry: self.entries[e],
                    available,
                    needed: k,
                })
            })
            .collect();
        if !shortfalls.is_empty() {
            return Err(AssignError::Infeasible { shortfalls });
        }

        let mut fixed_entry = vec![0usize; entries];
        let mut fixed_judge = vec![0usize; judges];
        for &(e, j) in &self.fixed {
            fixed_entry[e] += 1;
            fixed_judge[j] += 1;
        }
        let need: Vec<usize> = fixed_entry.iter().map(|&f| k.saturating_sub(f)).collect();
        let required: u64 = need.iter().map(|&n| n as u64).sum();
        // Fixed pairs count toward loads, so no cap below the largest fixed load works.
        let lowest = target_cap.max(fixed_judge.iter().copied().max().unwrap_or(0));
        if required == 0 {
            return Ok(self.solution(Vec::new(), target_cap, lowest));
        }

        let mut net = Network::build(self, &need);
        let mut scratch = Scratch::new(net.nodes());
        net.reset(lowest, &need, &fixed_judge);
        let flow = net.min_cost_flow(required, &mut scratch);
        if flow == required {
            return Ok(self.solution(net.added(), target_cap, lowest));
        }
        // `lowest` is too small. With the cap at |E| every judge can take every entry
        // they are free for, and the check above says each entry has enough of those,
        // so |E| is feasible. (And `lowest` ≤ |E|: some entry needs judges and has k
        // of them, so k ≤ |J| and the target is at most |E|; a fixed load is too.)
        let cap = net.smallest_feasible_cap(lowest, entries, flow, required, &mut scratch);
        net.reset(cap, &need, &fixed_judge);
        if net.min_cost_flow(required, &mut scratch) < required {
            // Cannot happen (the cap is feasible: shown by the search, or by the argument
            // above for |E|; and a min-cost flow is a maximum flow). Kept so that a bug
            // shows as a refusal, never as a wrong assignment.
            return Err(self.unserved(&net, &need, &conflicted));
        }
        Ok(self.solution(net.added(), target_cap, cap))
    }

    /// The entries the network failed to serve, as shortfalls.
    fn unserved(&self, net: &Network, need: &[usize], conflicted: &[usize]) -> AssignError {
        let mut got = vec![0usize; self.entries.len()];
        for (e, _) in net.added() {
            got[e] += 1;
        }
        let shortfalls = (0..self.entries.len())
            .filter(|&e| got[e] < need[e])
            .map(|e| Shortfall {
                entry: self.entries[e],
                available: self.judges.len() - conflicted[e],
                needed: self.k,
            })
            .collect();
        AssignError::Infeasible { shortfalls }
    }

    fn solution(&self, mut added: Vec<(usize, usize)>, target_cap: usize, cap: usize) -> Solution {
        added.sort_unstable();
        let mut all: Vec<(usize, usize)> = self.fixed.iter().chain(&added).copied().collect();
        all.sort_unstable();
        let mut loads = vec![0usize; self.judges.len()];
        for &(_, j) in &all {
            loads[j] += 1;
        }
        let ids = |pairs: &[(usize, usize)]| -> Vec<(EntryId, UserId)> {
            pairs
                .iter()
                .map(|&(e, j)| (self.entries[e], self.judges[j]))
                .collect()
        };
        Solution {
            pairs: ids(&all),
            added: ids(&added),
            target_cap,
            cap,
            min_load: loads.iter().copied().min().unwrap_or(0),
            max_load: loads.iter().copied().max().unwrap_or(0),
            expertise_matches: all.iter().filter(|&&(e, j)| self.matches(e, j)).count(),
        }
    }
}

/// Ids to sorted, deduplicated index pairs; an id not in the problem is an error.
fn index_pairs(
    pairs: &[(EntryId, UserId)],
    entries: &[EntryId],
    judges: &[UserId],
) -> Result<Vec<(usize, usize)>, AssignError> {
    let mut out = pairs
        .iter()
        .map(
            |(e, j)| match (entries.binary_search(e), judges.binary_search(j)) {
                (Ok(e), Ok(j)) => Ok((e, j)),
                _ => Err(AssignError::UnknownParticipant),
            },
        )
        .collect::<Result<Vec<_>, _>>()?;
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// For pairs sorted by entry: where each entry's run starts (length `entries + 1`).
fn starts(pairs: &[(usize, usize)], entries: usize) -> Vec<usize> {
    (0..=entries)
        .map(|e| pairs.partition_point(|p| p.0 < e))
        .collect()
}

/// A level or mark that says "not reached".
const UNSEEN: u32 = u32::MAX;
/// The source node; entries follow it, then judges, then the sink.
const SOURCE: usize = 0;

/// The flow network, in compressed rows: node `u`'s arcs are `head[u]..head[u + 1]`,
/// each stored with its head node, its reverse arc, its cost and its residual capacity
/// (struct of arrays, 13 bytes an arc). Rows are scanned sequentially by every search;
/// the reverse index is only followed when flow is pushed. (Pairing arcs so that the
/// reverse of `a` is `a ^ 1` would need an adjacency index instead, the same 4 bytes
/// an arc, and would turn every scan into an indirection.)
///
/// Node order is source, entries, judges, sink, so an arc is a forward (original) arc
/// exactly when it goes to a higher node. Within a row, the arcs towards the source or
/// the sink come first: a judge's first arc is its sink arc.
struct Network {
    entries: usize,
    judges: usize,
    head: Vec<usize>,
    to: Vec<u32>,
    rev: Vec<u32>,
    cost: Vec<i8>,
    cap: Vec<u32>,
}

/// Work arrays reused by every search, sized once.
struct Scratch {
    level: Vec<u32>,
    current: Vec<usize>,
    queue: Vec<u32>,
    path: Vec<u32>,
    dist: Vec<i64>,
    done: Vec<bool>,
    heap: BinaryHeap<Reverse<(i64, u32)>>,
}

impl Scratch {
    fn new(nodes: usize) -> Self {
        Scratch {
            level: vec![UNSEEN; nodes],
            current: vec![0; nodes],
            queue: Vec::with_capacity(nodes),
            path: Vec::new(),
            dist: vec![0; nodes],
            done: vec![false; nodes],
            heap: BinaryHeap::new(),
        }
    }
}

/// Capacities never exceed |E| or |J| in practice; saturate rather than wrap.
fn capacity(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Network {
    /// Only entries that still need judges get nodes with arcs; capacities are set by
    /// [`Network::reset`].
    fn build(problem: &Prepared, need: &[usize]) -> Network {
        let (entries, judges) = (problem.entries.len(), problem.judges.len());
        let nodes = entries + judges + 2;
        let sink = nodes - 1;
        let needy = || (0..entries).filter(|&e| need[e] > 0);

        // Count each row's arcs into head[u + 1], then turn counts into starts.
        let mut head = vec![0usize; nodes + 1];
        for e in needy() {
            head[SOURCE + 1] += 1;
            head[1 + e + 1] += 1;
            problem.for_each_candidate(e, |j| {
                head[1 + e + 1] += 1;
                head[1 + entries + j + 1] += 1;
            });
        }
        for j in 0..judges {
            head[1 + entries + j + 1] += 1;
            head[sink + 1] += 1;
        }
        for u in 0..nodes {
            head[u + 1] += head[u];
        }
        let arcs = head[nodes];
        let mut next = head[..nodes].to_vec();
        let mut net = Network {
            entries,
            judges,
            head,
            to: vec![0; arcs],
            rev: vec![0; arcs],
            cost: vec![0; arcs],
            cap: vec![0; arcs],
        };
        for e in needy() {
            net.link(&mut next, SOURCE, 1 + e, 0);
        }
        for j in 0..judges {
            net.link(&mut next, 1 + entries + j, sink, 0);
        }
        for e in needy() {
            problem.for_each_candidate(e, |j| {
                let cost = if problem.matches(e, j) { -1 } else { 0 };
                net.link(&mut next, 1 + e, 1 + entries + j, cost);
            });
        }
        net
    }

    /// Adds the arc `u → v` and its reverse, each at the next free slot of its row.
    fn link(&mut self, next: &mut [usize], u: usize, v: usize, cost: i8) {
        let (a, b) = (next[u], next[v]);
        next[u] += 1;
        next[v] += 1;
        self.to[a] = v as u32;
        self.to[b] = u as u32;
        self.rev[a] = b as u32;
        self.rev[b] = a as u32;
        self.cost[a] = cost;
        self.cost[b] = -cost;
    }

    fn nodes(&self) -> usize {
        self.entries + self.judges + 2
    }

    fn sink(&self) -> usize {
        self.entries + self.judges + 1
    }

    fn is_judge(&self, node: usize) -> bool {
        node > self.entries && node <= self.entries + self.judges
    }

    /// Zero flow, with every judge's load capped at `cap` (fixed pairs included).
    fn reset(&mut self, cap: usize, need: &[usize], fixed_judge: &[usize]) {
        let sink = self.sink();
        for u in 0..self.nodes() {
            for a in self.head[u]..self.head[u + 1] {
                let v = self.to[a] as usize;
                self.cap[a] = if v <= u {
                    0
                } else if u == SOURCE {
                    capacity(need[v - 1])
                } else if v == sink {
                    capacity(cap.saturating_sub(fixed_judge[u - 1 - self.entries]))
                } else {
                    1
                };
            }
        }
    }

    /// Raises every judge's cap by `by`, keeping the flow.
    fn raise_caps(&mut self, by: usize) {
        let sink = self.sink() as u32;
        for j in 0..self.judges {
            let a = self.head[1 + self.entries + j];
            debug_assert_eq!(self.to[a], sink, "a judge's first arc is its sink arc");
            self.cap[a] = self.cap[a].saturating_add(capacity(by));
        }
    }

    /// The added pairs the current flow carries, as (entry, judge) indices in order.
    fn added(&self) -> Vec<(usize, usize)> {
        let mut pairs = Vec::new();
        for e in 0..self.entries {
            for a in self.head[1 + e]..self.head[2 + e] {
                let v = self.to[a] as usize;
                if self.is_judge(v) && self.cap[a] == 0 {
                    pairs.push((e, v - 1 - self.entries));
                }
            }
        }
        pairs
    }

    /// Is arc `a` (from `u`) usable by an augmenting path? Any residual arc when
    /// potentials are absent (plain maximum flow); only zero-reduced-cost ones when
    /// they are given (the admissible arcs of the primal-dual method).
    #[inline]
    fn usable(&self, a: usize, u: usize, v: usize, potential: Option<&[i64]>) -> bool {
        self.cap[a] > 0 && potential.is_none_or(|p| i64::from(self.cost[a]) + p[u] - p[v] == 0)
    }

    /// Dinic's breadth-first levels over usable arcs; stops as soon as the sink is
    /// reached (every node of a lower level is labelled by then, and nodes at the
    /// sink's level are of no use). Returns whether the sink was reached.
    fn levels(&self, potential: Option<&[i64]>, s: &mut Scratch) -> bool {
        let sink = self.sink();
        s.level.fill(UNSEEN);
        s.queue.clear();
        s.level[SOURCE] = 0;
        s.queue.push(SOURCE as u32);
        let mut next = 0;
        while let Some(&u) = s.queue.get(next) {
            next += 1;
            let u = u as usize;
            let level = s.level[u] + 1;
            for a in self.head[u]..self.head[u + 1] {
                let v = self.to[a] as usize;
                if s.level[v] != UNSEEN || !self.usable(a, u, v, potential) {
                    continue;
                }
                s.level[v] = level;
                if v == sink {
                    return true;
                }
                s.queue.push(v as u32);
            }
        }
        false
    }

    /// A blocking flow on the level graph of at most `want` units, found one path at a
    /// time by an iterative depth-first search with current-arc pointers (recursion
    /// depth would follow path length, which is unbounded in principle).
    fn blocking_flow(&mut self, potential: Option<&[i64]>, want: u64, s: &mut Scratch) -> u64 {
        let sink = self.sink();
        s.current.copy_from_slice(&self.head[..self.nodes()]);
        s.path.clear();
        let mut pushed = 0u64;
        let mut u = SOURCE;
        while pushed < want {
            if u == sink {
                let room = u32::try_from(want - pushed).unwrap_or(u32::MAX);
                let amount = s
                    .path
                    .iter()
                    .fold(room, |m, &a| m.min(self.cap[a as usize]));
                for &a in &s.path {
                    self.cap[a as usize] -= amount;
                    self.cap[self.rev[a as usize] as usize] += amount;
                }
                pushed += u64::from(amount);
                // Resume from the tail of the first saturated arc.
                match s.path.iter().position(|&a| self.cap[a as usize] == 0) {
                    Some(i) => {
                        u = self.to[self.rev[s.path[i] as usize] as usize] as usize;
                        s.path.truncate(i);
                    }
                    None => break,
                }
                continue;
            }
            let level = s.level[u] + 1;
            let end = self.head[u + 1];
            let mut step = None;
            while s.current[u] < end {
                let a = s.current[u];
                let v = self.to[a] as usize;
                if s.level[v] == level && self.usable(a, u, v, potential) {
                    step = Some((a, v));
                    break;
                }
                s.current[u] += 1;
            }
            match step {
                Some((a, v)) => {
                    s.path.push(a as u32);
                    u = v;
                }
                None => {
                    // Dead end: nothing more passes through `u` in this phase.
                    s.level[u] = UNSEEN;
                    let Some(a) = s.path.pop() else { break };
                    u = self.to[self.rev[a as usize] as usize] as usize;
                    s.current[u] += 1;
                }
            }
        }
        pushed
    }

    /// Pushes up to `want` more units over usable arcs, Dinic phase after phase, until
    /// the sink is out of reach. Returns the units pushed.
    fn max_flow(&mut self, potential: Option<&[i64]>, want: u64, s: &mut Scratch) -> u64 {
        let mut total = 0;
        while total < want && self.levels(potential, s) {
            let pushed = self.blocking_flow(potential, want - total, s);
            if pushed == 0 {
                break;
            }
            total += pushed;
        }
        total
    }

    /// Potentials for the zero flow, read off the network's layers (source, entries,
    /// judges, sink; costs 0 or −1): shortest distances, so every residual arc's
    /// reduced cost is non-negative and the first admissible graph is already useful.
    fn initial_potentials(&self) -> Vec<i64> {
        let mut potential = vec![0i64; self.nodes()];
        for u in 1..=self.entries {
            for a in self.head[u]..self.head[u + 1] {
                if self.cap[a] > 0 {
                    let v = self.to[a] as usize;
                    potential[v] = potential[v].min(i64::from(self.cost[a]));
                }
            }
        }
        let mut sink = 0;
        for j in 0..self.judges {
            let u = 1 + self.entries + j;
            if self.cap[self.head[u]] > 0 {
                sink = potential[u].min(sink);
            }
        }
        let last = self.sink();
        potential[last] = sink;
        potential
    }

    /// Dijkstra over reduced costs, then every potential is raised by its distance
    /// (capped at the sink's, which lets the search stop at the sink and keeps every
    /// reduced cost non-negative). Returns false when the sink cannot be reached.
    fn reprice(&self, potential: &mut [i64], s: &mut Scratch) -> bool {
        let sink = self.sink();
        s.dist.fill(i64::MAX);
        s.done.fill(false);
        s.heap.clear();
        s.dist[SOURCE] = 0;
        s.heap.push(Reverse((0, SOURCE as u32)));
        while let Some(Reverse((d, u))) = s.heap.pop() {
            let u = u as usize;
            if s.done[u] {
                continue;
            }
            s.done[u] = true;
            if u == sink {
                break;
            }
            for a in self.head[u]..self.head[u + 1] {
                let v = self.to[a] as usize;
                if self.cap[a] == 0 || s.done[v] {
                    continue;
                }
                let reached = d + i64::from(self.cost[a]) + potential[u] - potential[v];
                if reached < s.dist[v] {
                    s.dist[v] = reached;
                    s.heap.push(Reverse((reached, v as u32)));
                }
            }
        }
        if !s.done[sink] {
            return false;
        }
        let ceiling = s.dist[sink];
        for (p, &d) in potential.iter_mut().zip(&s.dist) {
            *p += d.min(ceiling);
        }
        true
    }

    /// Primal-dual minimum-cost flow from the zero flow: push everything the admissible
    /// arcs allow, reprice, repeat. Returns the flow reached, `want` unless the caps
    /// make it impossible (then the flow left behind is a maximum flow).
    fn min_cost_flow(&mut self, want: u64, s: &mut Scratch) -> u64 {
        let mut potential = self.initial_potentials();
        let mut flow = 0;
        loop {
            flow += self.max_flow(Some(&potential), want - flow, s);
            if flow >= want || !self.reprice(&mut potential, s) {
                return flow;
            }
        }
    }

    /// The smallest cap in `(too_small, enough]` that carries `want`, by binary search.
    /// The network must hold a maximum flow (of value `flow`) at cap `too_small`; each
    /// trial starts from the flow of the largest cap known to be too small, since a
    /// flow stays valid when caps rise.
    fn smallest_feasible_cap(
        &mut self,
        too_small: usize,
        enough: usize,
        flow: u64,
        want: u64,
        s: &mut Scratch,
    ) -> usize {
        let (mut low, mut high) = (too_small, enough.max(too_small + 1));
        let mut base = self.cap.clone();
        let mut base_flow = flow;
        while high - low > 1 {
            let mid = low + (high - low) / 2;
            self.cap.copy_from_slice(&base);
            self.raise_caps(mid - low);
            let reached = base_flow + self.max_flow(None, want - base_flow, s);
            if reached >= want {
                high = mid;
            } else {
                low = mid;
                base.copy_from_slice(&self.cap);
                base_flow = reached;
            }
        }
        high
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet, HashMap};
    use uuid::Uuid;

    fn entry_id(n: u128) -> EntryId {
        EntryId::from_uuid(Uuid::from_u128(0x1000 + n))
    }

    fn judge_id(n: u128) -> UserId {
        UserId::from_uuid(Uuid::from_u128(0x2000 + n))
    }

    fn field_id(n: u128) -> FieldId {
        FieldId::from_uuid(Uuid::from_u128(0x3000 + n))
    }

    fn entry(n: u128, field: Option<u128>) -> EntryNode {
        EntryNode {
            id: entry_id(n),
            field: field.map(field_id),
        }
    }

    fn judge(n: u128, fields: &[u128]) -> JudgeNode {
        JudgeNode {
            id: judge_id(n),
            expertise: fields.iter().map(|&f| field_id(f)).collect(),
        }
    }

    fn pair(e: u128, j: u128) -> (EntryId, UserId) {
        (entry_id(e), judge_id(j))
    }

    fn loads(solution: &Solution) -> BTreeMap<UserId, usize> {
        let mut loads = BTreeMap::new();
        for &(_, j) in &solution.pairs {
            *loads.entry(j).or_insert(0) += 1;
        }
        loads
    }

    fn judges_of(solution: &Solution, e: EntryId) -> Vec<UserId> {
        solution
            .pairs
            .iter()
            .filter(|p| p.0 == e)
            .map(|p| p.1)
            .collect()
    }

    fn is_match(problem: &Problem, e: EntryId, j: UserId) -> bool {
        let field = problem
            .entries
            .iter()
            .find(|x| x.id == e)
            .and_then(|x| x.field);
        let judge = problem.judges.iter().find(|x| x.id == j);
        match (field, judge) {
            (Some(f), Some(judge)) => judge.expertise.contains(&f),
            _ => false,
        }
    }

    #[test]
    fn tiny_instance_gets_its_known_optimum() {
        // Fields 1 and 2; entry 3 has none. Three judges, two per entry: the target cap
        // is ⌈2·3/3⌉ = 2, so all loads are exactly 2. Entry 1 can only match judges 1
        // and 3, entry 2 only judges 2 and 3, so the best has 4 matches, and the one
        // assignment reaching it is below.
        let problem = Problem {
            entries: vec![entry(1, Some(1)), entry(2, Some(2)), entry(3, None)],
            judges: vec![judge(1, &[1]), judge(2, &[2]), judge(3, &[1, 2])],
            k: 2,
            ..Problem::default()
        };
        let solution = assign(&problem).unwrap();
        assert_eq!(
            solution,
            Solution {
                pairs: vec![
                    pair(1, 1),
                    pair(1, 3),
                    pair(2, 2),
                    pair(2, 3),
                    pair(3, 1),
                    pair(3, 2)
                ],
                added: vec![
                    pair(1, 1),
                    pair(1, 3),
                    pair(2, 2),
                    pair(2, 3),
                    pair(3, 1),
                    pair(3, 2)
                ],
                target_cap: 2,
                cap: 2,
                min_load: 2,
                max_load: 2,
                expertise_matches: 4,
            }
        );
    }

    /// Each entry in id order takes its best free judges: matching ones first, then
    /// the rest, each group in id order, under the target cap.
    fn greedy_matches(problem: &Problem) -> usize {
        let cap = (problem.k * problem.entries.len()).div_ceil(problem.judges.len());
        let mut load: HashMap<UserId, usize> = HashMap::new();
        let mut matches = 0;
        for e in &problem.entries {
            let mut order: Vec<&JudgeNode> = problem.judges.iter().collect();
            order.sort_by_key(|j| (!is_match(problem, e.id, j.id), j.id));
            let mut taken = 0;
            for j in order {
                if taken == problem.k {
                    break;
                }
                let l = load.entry(j.id).or_insert(0);
                if *l < cap {
                    *l += 1;
                    taken += 1;
                    matches += usize::from(is_match(problem, e.id, j.id));
                }
            }
        }
        matches
    }

    #[test]
    fn greedy_is_beaten() {
        // Judge 1 knows fields 1 and 2, judge 2 only field 1; cap 1. Greedy gives the
        // versatile judge 1 to entry 1, so entry 2 (field 2) gets judge 2: one match.
        // The optimum swaps them: two matches.
        let problem = Problem {
            entries: vec![entry(1, Some(1)), entry(2, Some(2))],
            judges: vec![judge(1, &[1, 2]), judge(2, &[1])],
            k: 1,
            ..Problem::default()
        };
        assert_eq!(greedy_matches(&problem), 1);
        let solution = assign(&problem).unwrap();
        assert_eq!(solution.expertise_matches, 2);
        assert_eq!(solution.pairs, vec![pair(1, 2), pair(2, 1)]);
    }

    #[test]
    fn greedy_is_beaten_on_a_larger_panel() {
        // Two generalists know all four fields, two specialists only field 0, and the
        // field-0 entries come first: greedy spends the generalists on them (loads 4),
        // leaving the specialists nothing they know: 8 matches instead of 12.
        let problem = Problem {
            entries: (0..8).map(|e| entry(e, Some(e / 2))).collect(),
            judges: vec![
                judge(0, &[0, 1, 2, 3]),
                judge(1, &[0, 1, 2, 3]),
                judge(2, &[0]),
                judge(3, &[0]),
            ],
            k: 2,
            ..Problem::default()
        };
        let greedy = greedy_matches(&problem);
        let solution = assign(&problem).unwrap();
        assert_eq!(greedy, 8);
        // 16 pairs, loads of 4: the generalists' 8 pairs all match, and the
        // specialists can only match the four pairs of the two field-0 entries.
        assert_eq!(solution.expertise_matches, 12);
        assert_eq!((solution.min_load, solution.max_load), (4, 4));
    }

    #[test]
    fn fixed_pairs_are_kept_and_counted() {
        let problem = Problem {
            entries: vec![entry(1, Some(1)), entry(2, Some(1)), entry(3, Some(1))],
            judges: vec![judge(1, &[1]), judge(2, &[]), judge(3, &[]), judge(4, &[1])],
            k: 2,
            // Entry 1 already has judges 2 and 3 (no match), entry 2 has judge 2.
            fixed: vec![pair(1, 2), pair(1, 3), pair(2, 2)],
            ..Problem::default()
        };
        let solution = assign(&problem).unwrap();
        for fixed in &problem.fixed {
            assert!(solution.pairs.contains(fixed));
            assert!(!solution.added.contains(fixed));
        }
        assert_eq!(
            judges_of(&solution, entry_id(1)),
            vec![judge_id(2), judge_id(3)]
        );
        // Entry 1 is full; entry 2 needs one more, entry 3 two, all from the two
        // field-1 judges (judge 2 is at the cap of 2 already).
        assert_eq!(solution.added.len(), 3);
        assert!(
            solution
                .added
                .iter()
                .all(|&(e, j)| e != entry_id(1) && (j == judge_id(1) || j == judge_id(4)))
        );
        assert_eq!(solution.target_cap, 2);
        assert_eq!(solution.expertise_matches, 3);
    }

    #[test]
    fn an_entry_with_more_fixed_judges_than_k_keeps_them_all() {
        let problem = Problem {
            entries: vec![entry(1, None), entry(2, None)],
            judges: vec![judge(1, &[]), judge(2, &[]), judge(3, &[])],
            k: 1,
            fixed: vec![pair(1, 1), pair(1, 2), pair(1, 3)],
            ..Problem::default()
        };
        let solution = assign(&problem).unwrap();
        assert_eq!(judges_of(&solution, entry_id(1)).len(), 3);
        assert_eq!(judges_of(&solution, entry_id(2)).len(), 1);
        assert_eq!(solution.added.len(), 1);
        assert_eq!(solution.added[0].0, entry_id(2));
    }

    #[test]
    fn the_cap_is_raised_when_the_target_is_infeasible() {
        // Three entries, two judges, one each: the target is ⌈3/2⌉ = 2, but every
        // entry is in conflict with judge 2, so judge 1 must take all three: cap 3.
        let problem = Problem {
            entries: vec![entry(1, None), entry(2, None), entry(3, None)],
            judges: vec![judge(1, &[]), judge(2, &[])],
            k: 1,
            conflicts: vec![pair(1, 2), pair(2, 2), pair(3, 2)],
            ..Problem::default()
        };
        let solution = assign(&problem).unwrap();
        assert_eq!((solution.target_cap, solution.cap), (2, 3));
        assert_eq!((solution.min_load, solution.max_load), (0, 3));
    }

    #[test]
    fn the_cap_search_finds_the_smallest_feasible_cap() {
        // Ten entries, five judges, one each: the target is 2. Seven entries can only
        // have judge 1, so the cap must be 7 (not the upper bound 10): the binary
        // search tries 6 (too small), 8, then 7.
        let problem = Problem {
            entries: (0..10).map(|e| entry(e, None)).collect(),
            judges: (1..=5).map(|j| judge(j, &[])).collect(),
            k: 1,
            conflicts: (0..7)
                .flat_map(|e| (2..=5).map(move |j| pair(e, j)))
                .collect(),
            ..Problem::default()
        };
        let solution = assign(&problem).unwrap();
        assert_eq!((solution.target_cap, solution.cap), (2, 7));
        assert_eq!(loads(&solution)[&judge_id(1)], 7);
    }

    #[test]
    fn a_fixed_load_above_the_target_raises_the_cap() {
        // Target ⌈4/2⌉ = 2, but judge 1 already scores three entries: cap 3, and the
        // fourth entry goes to judge 2.
        let problem = Problem {
            entries: (1..=4).map(|e| entry(e, None)).collect(),
            judges: vec![judge(1, &[]), judge(2, &[])],
            k: 1,
            fixed: vec![pair(1, 1), pair(2, 1), pair(3, 1)],
            ..Problem::default()
        };
        let solution = assign(&problem).unwrap();
        assert_eq!((solution.target_cap, solution.cap), (2, 3));
        assert_eq!(solution.added, vec![pair(4, 2)]);
    }

    #[test]
    fn an_infeasible_round_names_exactly_the_short_entries() {
        // Two judges each; entry 1 has one judge free of conflict, entry 3 none,
        // entries 2 and 4 are fine (entry 4 through a fixed judge).
        let problem = Problem {
            entries: (1..=4).map(|e| entry(e, None)).collect(),
            judges: (1..=3).map(|j| judge(j, &[])).collect(),
            k: 2,
            conflicts: vec![
                pair(1, 1),
                pair(1, 2),
                pair(2, 3),
                pair(3, 1),
                pair(3, 2),
                pair(3, 3),
                pair(4, 3),
            ],
            fixed: vec![pair(4, 1)],
        };
        assert_eq!(
            assign(&problem),
            Err(AssignError::Infeasible {
                shortfalls: vec![
                    Shortfall {
                        entry: entry_id(1),
                        available: 1,
                        needed: 2
                    },
                    Shortfall {
                        entry: entry_id(3),
                        available: 0,
                        needed: 2
                    },
                ]
            })
        );
    }

    #[test]
    fn no_judges_leaves_every_entry_short_and_no_entries_is_empty() {
        let problem = Problem {
            entries: vec![entry(2, None), entry(1, None)],
            k: 1,
            ..Problem::default()
        };
        let short = |e| Shortfall {
            entry: entry_id(e),
            available: 0,
            needed: 1,
        };
        assert_eq!(
            assign(&problem),
            Err(AssignError::Infeasible {
                shortfalls: vec![short(1), short(2)]
            })
        );

        let empty = Problem {
            judges: vec![judge(1, &[1])],
            k: 3,
            ..Problem::default()
        };
        let solution = assign(&empty).unwrap();
        assert!(solution.pairs.is_empty() && solution.added.is_empty());
        assert_eq!(
            (solution.target_cap, solution.cap, solution.max_load),
            (0, 0, 0)
        );
    }

    #[test]
    fn a_conflicted_fixed_pair_is_refused() {
        let problem = Problem {
            entries: vec![entry(1, None), entry(2, None)],
            judges: vec![judge(1, &[]), judge(2, &[])],
            k: 1,
            conflicts: vec![pair(2, 2), pair(1, 2)],
            fixed: vec![pair(2, 2), pair(1, 2)],
        };
        assert_eq!(
            assign(&problem),
            Err(AssignError::FixedPairConflicted {
                entry: entry_id(1),
                judge: judge_id(2)
            })
        );
    }

    #[test]
    fn pairs_naming_strangers_are_refused() {
        let base = Problem {
            entries: vec![entry(1, None)],
            judges: vec![judge(1, &[])],
            k: 1,
            ..Problem::default()
        };
        let stranger_conflict = Problem {
            conflicts: vec![pair(1, 9)],
            ..base.clone()
        };
        let stranger_fixed = Problem {
            fixed: vec![pair(9, 1)],
            ..base
        };
        assert_eq!(
            assign(&stranger_conflict),
            Err(AssignError::UnknownParticipant)
        );
        assert_eq!(
            assign(&stranger_fixed),
            Err(AssignError::UnknownParticipant)
        );
    }

    #[test]
    fn duplicate_listings_count_once() {
        // Judge 1 is listed twice (fields 1, then 2): it knows both. Entry 1 is listed
        // twice: it needs its judge once.
        let problem = Problem {
            entries: vec![entry(1, Some(2)), entry(2, Some(1)), entry(1, Some(2))],
            judges: vec![judge(1, &[1]), judge(2, &[]), judge(1, &[2])],
            k: 1,
            ..Problem::default()
        };
        let solution = assign(&problem).unwrap();
        assert_eq!(solution.target_cap, 1);
        assert_eq!(solution.pairs.len(), 2);
        assert_eq!(solution.expertise_matches, 1);
    }

    /// A small deterministic generator for the shuffles.
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) % n as u64) as usize
        }

        fn shuffle<T>(&mut self, items: &mut [T]) {
            for i in (1..items.len()).rev() {
                items.swap(i, self.below(i + 1));
            }
        }
    }

    fn shuffled(problem: &Problem, seed: u64) -> Problem {
        let mut rng = Lcg(seed);
        let mut p = problem.clone();
        rng.shuffle(&mut p.entries);
        rng.shuffle(&mut p.judges);
        for j in &mut p.judges {
            rng.shuffle(&mut j.expertise);
        }
        rng.shuffle(&mut p.conflicts);
        rng.shuffle(&mut p.fixed);
        p
    }

    #[test]
    fn the_same_problem_in_any_order_gets_the_same_answer() {
        let mut rng = Lcg(7);
        let (entries, judges) = (60u128, 12u128);
        let mut problem = Problem {
            entries: (0..entries)
                .map(|e| entry(e, Some(rng.below(4) as u128)))
                .collect(),
            judges: (0..judges)
                .map(|j| judge(j, &[rng.below(4) as u128, rng.below(4) as u128]))
                .collect(),
            k: 3,
            ..Problem::default()
        };
        for e in 0..entries {
            for j in 0..judges {
                match rng.below(20) {
                    0 => problem.conflicts.push(pair(e, j)),
                    1 if e % 3 == 0 => problem.fixed.push(pair(e, j)),
                    _ => {}
                }
            }
        }
        let expected = assign(&problem).unwrap();
        assert!(!expected.added.is_empty() && expected.pairs.len() > expected.added.len());
        for seed in 1..=5 {
            assert_eq!(assign(&shuffled(&problem, seed)), Ok(expected.clone()));
        }
        assert_eq!(assign(&problem), Ok(expected));
    }

    /// The problem as bit masks over judge positions, for the exhaustive search.
    struct Masks {
        k: usize,
        judges: usize,
        fixed: Vec<u32>,
        conflicted: Vec<u32>,
        matching: Vec<u32>,
    }

    fn masks(problem: &Problem) -> Masks {
        let judge_at = |id: UserId| problem.judges.iter().position(|j| j.id == id).unwrap();
        let entry_at = |id: EntryId| problem.entries.iter().position(|e| e.id == id).unwrap();
        let n = problem.entries.len();
        let mut m = Masks {
            k: problem.k,
            judges: problem.judges.len(),
            fixed: vec![0; n],
            conflicted: vec![0; n],
            matching: vec![0; n],
        };
        for &(e, j) in &problem.fixed {
            m.fixed[entry_at(e)] |= 1 << judge_at(j);
        }
        for &(e, j) in &problem.conflicts {
            m.conflicted[entry_at(e)] |= 1 << judge_at(j);
        }
        for (e, node) in problem.entries.iter().enumerate() {
            for (j, judge) in problem.judges.iter().enumerate() {
                if is_match(problem, node.id, judge.id) {
                    m.matching[e] |= 1 << j;
                }
            }
        }
        m
    }

    /// The most matches over every assignment respecting `cap` (fixed pairs kept,
    /// conflicts avoided, max(k, fixed) judges an entry), by exhaustive search over
    /// each entry's possible judge sets with memoised loads; `None` when there is none.
    fn brute_force(m: &Masks, cap: usize) -> Option<usize> {
        let options: Vec<Vec<u32>> = (0..m.fixed.len())
            .map(|e| {
                let size = m.k.max(m.fixed[e].count_ones() as usize);
                (0u32..1 << m.judges)
                    .filter(|&s| {
                        s & m.fixed[e] == m.fixed[e]
                            && s & m.conflicted[e] == 0
                            && s.count_ones() as usize == size
                    })
                    .collect()
            })
            .collect();
        fn best(
            e: usize,
            loads: &mut Vec<usize>,
            cap: usize,
            m: &Masks,
            options: &[Vec<u32>],
            memo: &mut HashMap<(usize, Vec<usize>), Option<usize>>,
        ) -> Option<usize> {
            if e == options.len() {
                return Some(0);
            }
            if let Some(&known) = memo.get(&(e, loads.clone())) {
                return known;
            }
            let mut answer = None;
            for &set in &options[e] {
                let judges: Vec<usize> = (0..m.judges).filter(|j| set & (1 << j) != 0).collect();
                if judges.iter().any(|&j| loads[j] == cap) {
                    continue;
                }
                for &j in &judges {
                    loads[j] += 1;
                }
                if let Some(rest) = best(e + 1, loads, cap, m, options, memo) {
                    let here = (set & m.matching[e]).count_ones() as usize + rest;
                    answer = answer.max(Some(here));
                }
                for &j in &judges {
                    loads[j] -= 1;
                }
            }
            memo.insert((e, loads.clone()), answer);
            answer
        }
        best(
            0,
            &mut vec![0; m.judges],
            cap,
            m,
            &options,
            &mut HashMap::new(),
        )
    }

    /// Random small rounds: up to `max_entries` entries in up to three fields, 1 to
    /// `max_judges` judges knowing up to three of them, a conflict density drawn per
    /// judge (0–60 %: unevenly conflicted judges push the load onto the others, so
    /// some rounds need a raised cap and some are infeasible) and up to 25 % fixed
    /// pairs (only among pairs free of conflict).
    fn small_problems(max_entries: usize, max_judges: usize) -> impl Strategy<Value = Problem> {
        (0..=max_entries, 1..=max_judges, 1usize..=3, 0u8..25)
            .prop_flat_map(|(entries, judges, k, fixed)| {
                (
                    Just((k, fixed)),
                    prop::collection::vec(prop::option::weighted(0.8, 0u128..3), entries),
                    prop::collection::vec(
                        (prop::collection::vec(0u128..3, 0..=3), 0u8..60),
                        judges,
                    ),
                    prop::collection::vec(prop::collection::vec(0u8..100, judges), entries),
                )
            })
            .prop_map(|((k, fixed), fields, judges, draws)| {
                let mut problem = Problem {
                    entries: fields
                        .iter()
                        .enumerate()
                        .map(|(e, &f)| entry(e as u128, f))
                        .collect(),
                    judges: judges
                        .iter()
                        .enumerate()
                        .map(|(j, (fields, _))| judge(j as u128, fields))
                        .collect(),
                    k,
                    ..Problem::default()
                };
                for (e, row) in draws.iter().enumerate() {
                    for (j, &draw) in row.iter().enumerate() {
                        let p = pair(e as u128, j as u128);
                        let conflict = judges[j].1;
                        if draw < conflict {
                            problem.conflicts.push(p);
                        } else if draw < conflict + fixed {
                            problem.fixed.push(p);
                        }
                    }
                }
                problem
            })
    }

    fn check(problem: &Problem) -> Result<(), TestCaseError> {
        let m = masks(problem);
        let result = assign(problem);
        prop_assert_eq!(&assign(&shuffled(problem, 99)), &result);
        let conflicted: BTreeSet<_> = problem.conflicts.iter().copied().collect();
        match result {
            Ok(solution) => {
                let pairs: BTreeSet<_> = solution.pairs.iter().copied().collect();
                prop_assert_eq!(pairs.len(), solution.pairs.len(), "pairs are distinct");
                prop_assert!(solution.pairs.is_sorted() && solution.added.is_sorted());
                for (e, node) in problem.entries.iter().enumerate() {
                    let fixed = m.fixed[e].count_ones() as usize;
                    prop_assert_eq!(judges_of(&solution, node.id).len(), problem.k.max(fixed));
                }
                prop_assert!(pairs.is_disjoint(&conflicted));
                for f in &problem.fixed {
                    prop_assert!(pairs.contains(f));
                }
                let added: BTreeSet<_> = pairs
                    .iter()
                    .filter(|p| !problem.fixed.contains(p))
                    .copied()
                    .collect();
                prop_assert_eq!(
                    added.into_iter().collect::<Vec<_>>(),
                    solution.added.clone()
                );
                let loads = loads(&solution);
                let max = loads.values().copied().max().unwrap_or(0);
                let min = if loads.len() < problem.judges.len() {
                    0
                } else {
                    loads.values().copied().min().unwrap_or(0)
                };
                prop_assert_eq!((solution.min_load, solution.max_load), (min, max));
                prop_assert!(max <= solution.cap);
                let target = if problem.judges.is_empty() {
                    0
                } else {
                    (problem.k * problem.entries.len()).div_ceil(problem.judges.len())
                };
                prop_assert_eq!(solution.target_cap, target);
                prop_assert!(solution.cap >= target);
                let matches = solution
                    .pairs
                    .iter()
                    .filter(|&&(e, j)| is_match(problem, e, j))
                    .count();
                prop_assert_eq!(solution.expertise_matches, matches);
                prop_assert_eq!(
                    brute_force(&m, solution.cap),
                    Some(matches),
                    "optimal at the cap"
                );
                if solution.cap > target {
                    prop_assert_eq!(
                        brute_force(&m, solution.cap - 1),
                        None,
                        "cap is the smallest"
                    );
                }
            }
            Err(AssignError::Infeasible { shortfalls }) => {
                let expected: Vec<Shortfall> = problem
                    .entries
                    .iter()
                    .filter_map(|node| {
                        let available = problem.judges.len()
                            - conflicted.iter().filter(|p| p.0 == node.id).count();
                        (available < problem.k).then_some(Shortfall {
                            entry: node.id,
                            available,
                            needed: problem.k,
                        })
                    })
                    .collect();
                prop_assert!(!expected.is_empty());
                prop_assert_eq!(shortfalls, expected);
                let unlimited = problem.entries.len().max(1);
                prop_assert_eq!(brute_force(&m, unlimited), None, "no cap helps");
            }
            Err(other) => prop_assert!(false, "unexpected {other:?}"),
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn small_rounds_are_solved_optimally(problem in small_problems(6, 5)) {
            check(&problem)?;
        }

        #[test]
        fn larger_small_rounds_are_solved_optimally(problem in small_problems(8, 6)) {
            check(&problem)?;
        }
    }
}
