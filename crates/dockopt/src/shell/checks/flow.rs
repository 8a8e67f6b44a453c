//! What a script's variables may hold, followed through the script in the order it runs: enough
//! to tell whether an unquoted `$x` can split into several words or glob (ShellCheck's data
//! flow for SC2086, in the small: values are only "empty", "clean" or "dirty").

use std::collections::HashMap;

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
    given: &'e dyn Fn(&str) -> bool,
}

impl<'e> State<'e> {
    pub fn new(given: &'e dyn Fn(&str) -> bool) -> Self {
        State { set: HashMap::new(), given }
    }

    pub fn get(&self, name: &str) -> Space {
        match self.set.get(name) {
            Some(space) => *space,
            None if WITHOUT_SPACES.contains(&name) || (self.given)(name) => Space::Clean,
            None => Space::Dirty,
        }
    }

    pub fn set(&mut self, name: &str, space: Space) {
        self.set.insert(name.to_owned(), space);
    }

    /// The state after one of several paths ran (`if`/`else`, `a && b`, a loop run or not):
    /// a variable is clean only if it is clean on every path.
    pub fn merge(&mut self, other: &State) {
        let names: Vec<String> = other.set.keys().filter(|k| !self.set.contains_key(*k)).cloned().collect();
        for name in names {
            let mine = self.get(&name);
            self.set.insert(name, mine);
        }
        for (name, space) in self.set.iter_mut() {
            *space = space.merge(other.get(name));
        }
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
