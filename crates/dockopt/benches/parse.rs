//! Parse throughput over a set of Dockerfiles, one JSON line per variant.
//!
//! Usage: cargo bench -p dockopt --bench parse -- [--min-seconds S] [--list FILE] [PATH...]
//! PATHs are files or directories (walked for names containing "dockerfile", any case);
//! `--list FILE` reads one path per line. `scripts/bench` runs this next to its peers.
//!
//! Method (shared with scripts/bench-peers/*): load every file into memory first, run one
//! warm-up pass, then time whole passes over all files on one thread until at least
//! `--min-seconds` (default 2) and 5 passes have elapsed; report the median pass. The
//! allocator is the CLI's (jemalloc).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;
use std::{env, fs, process};

// The allocator the `dockopt` CLI ships with: parsing allocates a great deal, so the figure
// depends on it (glibc's allocator: about 0.8x).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    let mut min_seconds = 2.0;
    let mut paths = Vec::new();
    let mut args = env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--min-seconds" => {
                min_seconds =
                    args.next().and_then(|s| s.parse().ok()).unwrap_or_else(|| die("--min-seconds needs a number"))
            }
            "--list" => {
                let list = args.next().unwrap_or_else(|| die("--list needs a file"));
                let text = fs::read_to_string(&list).unwrap_or_else(|e| die(&format!("{list}: {e}")));
                paths.extend(text.lines().filter(|l| !l.trim().is_empty()).map(PathBuf::from));
            }
            // `cargo bench` appends `--bench`; no other flags are ours.
            "--bench" => {}
            _ if arg.starts_with("--") => die(&format!("unknown option {arg}")),
            _ => collect(Path::new(&arg), &mut paths),
        }
    }
    if paths.is_empty() {
        die("no input files (pass files, directories or --list FILE)");
    }

    // Everything is read (and checked as UTF-8) before timing, so I/O is never measured.
    let texts: Vec<String> = paths
        .iter()
        .map(|p| {
            let bytes = fs::read(p).unwrap_or_else(|e| die(&format!("{}: {e}", p.display())));
            match dockopt::decode(&bytes) {
                Ok(text) => text.to_owned(),
                Err(e) => die(&format!("{}: {e}", p.display())),
            }
        })
        .collect();

    report("dockopt", &texts, min_seconds, |text| {
        let file = dockopt::parse(text);
        black_box(file.model());
        black_box(file);
    });
    report("dockopt (parse only)", &texts, min_seconds, |text| {
        black_box(dockopt::parse(text));
    });
}

/// Time passes of `parse_one` over all texts and print the JSON line.
fn report(tool: &str, texts: &[String], min_seconds: f64, parse_one: impl Fn(&str)) {
    let pass = || {
        let start = Instant::now();
        for text in texts {
            parse_one(black_box(text));
        }
        start.elapsed().as_secs_f64()
    };
    pass(); // warm-up: caches, allocator, branch predictors
    let mut times = Vec::new();
    let mut total = 0.0;
    while total < min_seconds || times.len() < 5 {
        let t = pass();
        total += t;
        times.push(t);
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let bytes: usize = texts.iter().map(String::len).sum();
    // Written by hand so the bench needs no extra crates; `tool` never needs escaping.
    println!(
        "{{\"tool\": \"{tool}\", \"files\": {}, \"bytes\": {bytes}, \"passes\": {}, \"seconds_per_pass\": {median:.6}, \"best_seconds_per_pass\": {:.6}, \"mb_per_s\": {:.3}, \"files_per_s\": {:.1}}}",
        texts.len(),
        times.len(),
        times[0],
        bytes as f64 / 1e6 / median,
        texts.len() as f64 / median,
    );
}

/// Add a file, or every Dockerfile under a directory (sorted, so runs are repeatable).
fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if !path.is_dir() {
        out.push(path.to_owned());
        return;
    }
    let mut entries: Vec<PathBuf> = fs::read_dir(path)
        .unwrap_or_else(|e| die(&format!("{}: {e}", path.display())))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for entry in entries {
        let name = entry.file_name().unwrap_or_default().to_string_lossy().to_lowercase();
        if entry.is_dir() {
            collect(&entry, out);
        } else if name.contains("dockerfile") {
            out.push(entry);
        }
    }
}

fn die(message: &str) -> ! {
    eprintln!("parse bench: {message}");
    process::exit(2);
}
