//! Parse one file in-process and keep everything alive, for measuring the peak memory of the
//! library calls: `/usr/bin/time -f "%e s %M KB" parse_memory MODE FILE`, MODE `parse` (the
//! syntax tree) or `model` (the syntax tree and the model). The caller's copy of the text is
//! kept too, as most callers keep it.

use std::hint::black_box;
use std::{env, fs, process};

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    let [mode, path] = args.as_slice() else { fail(2, "usage: parse_memory parse|model FILE") };
    let bytes = fs::read(path).unwrap_or_else(|e| fail(2, &format!("{path}: {e}")));
    let text = String::from_utf8(bytes).unwrap_or_else(|_| fail(1, &format!("{path}: not UTF-8")));
    let file = dockopt::parse(&text);
    let syntax = file.syntax();
    println!("{} bytes, {} instructions, {} tokens", text.len(), syntax.instructions.len(), syntax.tokens.len());
    match mode.as_str() {
        "parse" => {}
        "model" => {
            let model = file.model();
            println!("model: {} stages, {} instructions", model.stages.len(), model.instructions.len());
            black_box(&model);
        }
        _ => fail(2, &format!("unknown mode {mode}")),
    }
    black_box((&text, &file));
}

fn fail(code: i32, message: &str) -> ! {
    eprintln!("{message}");
    process::exit(code)
}
