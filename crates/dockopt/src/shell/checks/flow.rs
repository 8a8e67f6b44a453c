//! What a script's variables may hold, followed through the script in the order it runs: enough
//! to tell whether an unquoted `$x` can split into several words or glob (ShellCheck's data
//! flow for SC2086, in the small: values are only "empty", "clean" or "dirty").

use std::collections::{HashMap, HashSet};

/// Whether a value can change when the shell splits and globs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Space {
    /// Known to be the empty string.
    Empty,
    /// Non-empty, without blanks or glob characters (`1`, `/usr/local`, a number).
    Clean,
    /// May hold blanks or glob characters, or nothing is known about it.
    Dirty,
}

impl Space {
    /// The value of a literal string.
    pub fn of_literal(text: &str) -> Space {
        if text.is_empty() {
            Space::Empty
        } else if text.contains([' ', '\t', '\n', '*', '?', '[']) {
            Space::Dirty
        } else {
            Space::Clean
        }
    }

    /// The value of `self` followed by `next` (`x="$a$b"`).
    pub fn append(self, next: Space) -> Space {
        match (self, next) {
            (Space::Empty, other) | (other, Space::Empty) => other,
            (Space::Clean, Space::Clean) => Space::Clean,
            _ => Space::Dirty,
        }
    }

    /// The value when either of two paths may have run.
    pub fn merge(self, other: Space) -> Space {
        match (self, other) {
            (Space::Empty, other) | (other, Space::Empty) => other,
            (Space::Clean, Space::Clean) => Space::Clean,
            _ => Space::Dirty,
        }
    }
}

/// Variables the shell sets that never hold blanks (`$?`, `$#`, `$$`, `$!`, `$-`, `$UID` ...).
const WITHOUT_SPACES: [&str; 28] = [
    "-",
    "$",
    "?",
    "!",
    "#",
    "BASHPID",
    "BASH_ARGC",
    "BASH_LINENO",
    "BASH_SUBSHELL",
    "EUID",
    "EPOCHREALTIME",
    "EPOCHSECONDS",
    "LINENO",
    "OPTIND",
    "PPID",
    "RANDOM",
    "READLINE_ARGUMENT",
    "READLINE_MARK",
    "READLINE_POINT",
    "SECONDS",
    "SHELLOPTS",
    "SHLVL",
    "SRANDOM",
    "UID",
    "COLUMNS",
    "HISTFILESIZE",
    "HISTSIZE",
    "LINES",
];

/// The variables' values at one point of the script. A variable the script has not set is
/// clean when the Dockerfile gives it (ARG and ENV, whose values dockopt takes as single
/// words, as hadolint does) and dirty otherwise: it comes from an unknown environment.
#[derive(Clone)]
pub struct State<'e> {
    set: HashMap<String, Space>,
    /// Variables declared integers (`declare -i`): whatever they are given becomes a number.
    integers: HashSet<String>,
    /// The path that led here has ended (`exit`): it does not count where paths join.
    pub dead: bool,
    given: &'e dyn Fn(&str) -> bool,
}

impl<'e> State<'e> {
    pub fn new(given: &'e dyn Fn(&str) -> bool) -> Self {
        State { set: HashMap::new(), integers: HashSet::new(), dead: false, given }
    }

    /// A state no path reaches yet: the start of a join of several paths.
    pub fn unreached(&self) -> Self {
        State { set: HashMap::new(), integers: HashSet::new(), dead: true, given: self.given }
    }

    pub fn get(&self, name: &str) -> Space {
        if self.integers.contains(name) {
            return Space::Clean;
        }
        match self.set.get(name) {
            Some(space) => *space,
            None if WITHOUT_SPACES.contains(&name) || (self.given)(name) => Space::Clean,
            None => Space::Dirty,
        }
    }

    pub fn set(&mut self, name: &str, space: Space) {
        self.set.insert(name.to_owned(), space);
    }

    /// Make `name` an integer variable (`declare -i`), or no longer one (`declare +i`).
    pub fn set_integer(&mut self, name: &str, integer: bool) {
        if integer {
            self.integers.insert(name.to_owned());
        } else {
            self.integers.remove(name);
        }
    }

    /// What the script itself set `name` to (for restoring it after a function's `local`).
    pub fn own(&self, name: &str) -> (Option<Space>, bool) {
        (self.set.get(name).copied(), self.integers.contains(name))
    }

    pub fn restore(&mut self, name: &str, (space, integer): (Option<Space>, bool)) {
        match space {
            Some(space) => self.set(name, space),
            None => {
                self.set.remove(name);
            }
        }
        self.set_integer(name, integer);
    }

    /// The state after one of several paths ran (`if`/`else`, `a && b`, a loop run or not):
    /// a variable is clean only if it is clean on every path that goes on.
    pub fn merge(&mut self, other: &State) {
        if other.dead {
            return;
        }
        if self.dead {
            self.set.clone_from(&other.set);
            self.integers.clone_from(&other.integers);
            self.dead = false;
            return;
        }
        let names: Vec<String> = other.set.keys().filter(|k| !self.set.contains_key(*k)).cloned().collect();
        for name in names {
            let mine = self.get(&name);
            self.set.insert(name, mine);
        }
        for (name, space) in self.set.iter_mut() {
            *space = space.merge(other.get(name));
        }
        self.integers.retain(|name| other.integers.contains(name));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_appends_and_merges() {
        assert_eq!(Space::of_literal(""), Space::Empty);
        assert_eq!(Space::of_literal("/usr/lib"), Space::Clean);
        assert_eq!(Space::of_literal("a b"), Space::Dirty);
        assert_eq!(Space::of_literal("*.txt"), Space::Dirty);
        assert_eq!(Space::Empty.append(Space::Clean), Space::Clean);
        assert_eq!(Space::Clean.append(Space::Dirty), Space::Dirty);

        let given = |name: &str| name == "VERSION";
        let mut a = State::new(&given);
        assert_eq!(a.get("VERSION"), Space::Clean);
        assert_eq!(a.get("HOME"), Space::Dirty);
        assert_eq!(a.get("?"), Space::Clean);
        let mut b = a.clone();
        a.set("x", Space::Clean);
        b.set("x", Space::Clean);
        b.set("VERSION", Space::Dirty);
        b.set("y", Space::Clean);
        a.merge(&b);
        assert_eq!(a.get("x"), Space::Clean);
        assert_eq!(a.get("VERSION"), Space::Dirty);
        // Unset on one path: whatever the environment held.
        assert_eq!(a.get("y"), Space::Dirty);
    }
}
