//! Circles in a directed graph: the strongly connected components with more
//! than one node (Tarjan's algorithm, iterative so deep module trees cannot
//! overflow the stack).

/// The circles of a graph of `nodes` nodes given as `(from, to)` edges: each
/// a set of nodes every one of which reaches every other, sorted.
pub fn circles(nodes: usize, edges: &[(usize, usize)]) -> Vec<Vec<usize>> {
    let mut successors = vec![Vec::new(); nodes];
    for &(from, to) in edges {
        if from < nodes && to < nodes && from != to {
            successors[from].push(to);
        }
    }
    let mut state = Tarjan {
        successors,
        index: vec![None; nodes],
        low: vec![0; nodes],
        on_stack: vec![false; nodes],
        stack: Vec::new(),
        next: 0,
        found: Vec::new(),
    };
    for node in 0..nodes {
        if state.index[node].is_none() {
            state.visit(node);
        }
    }
    let mut found = state.found;
    for circle in &mut found {
        circle.sort_unstable();
    }
    found.sort();
    found
}

struct Tarjan {
    successors: Vec<Vec<usize>>,
    index: Vec<Option<usize>>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    next: usize,
    found: Vec<Vec<usize>>,
}

impl Tarjan {
    fn open(&mut self, node: usize) {
        self.index[node] = Some(self.next);
        self.low[node] = self.next;
        self.next += 1;
        self.stack.push(node);
        self.on_stack[node] = true;
    }

    fn visit(&mut self, start: usize) {
        // (node, how many of its successors have been looked at)
        let mut work = vec![(start, 0usize)];
        self.open(start);
        while let Some(&mut (node, ref mut seen)) = work.last_mut() {
            if let Some(&next) = self.successors[node].get(*seen) {
                *seen += 1;
                match self.index[next] {
                    None => {
                        self.open(next);
                        work.push((next, 0));
                    }
                    Some(index) if self.on_stack[next] => {
                        self.low[node] = self.low[node].min(index);
                    }
                    Some(_) => {}
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                self.low[parent] = self.low[parent].min(self.low[node]);
            }
            if Some(self.low[node]) == self.index[node] {
                self.close(node);
            }
        }
    }

    fn close(&mut self, root: usize) {
        let mut component = Vec::new();
        while let Some(member) = self.stack.pop() {
            self.on_stack[member] = false;
            component.push(member);
            if member == root {
                break;
            }
        }
        if component.len() > 1 {
            self.found.push(component);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::circles;

    #[test]
    fn a_chain_has_no_circle_and_a_loop_is_one() {
        assert!(circles(3, &[(0, 1), (1, 2)]).is_empty());
        assert_eq!(circles(3, &[(0, 1), (1, 2), (2, 0)]), vec![vec![0, 1, 2]]);
    }

    #[test]
    fn two_separate_circles_are_told_apart() {
        let edges = [(0, 1), (1, 0), (2, 3), (3, 4), (4, 2), (1, 2)];
        assert_eq!(circles(5, &edges), vec![vec![0, 1], vec![2, 3, 4]]);
    }

    #[test]
    fn a_self_reference_is_not_a_circle() {
        assert!(circles(2, &[(0, 0), (0, 1)]).is_empty());
    }
}
