//! Parse one file in-process and keep the results alive, for measuring the peak memory of
//! the library calls: `/usr/bin/time -f "%e s %M KB" parse_memory MODE FILE` with MODE
//! - `parse`: `dockopt::parse(&text)`, the caller keeping its text (two copies of the input);
//! - `model`: the same and `.model()`, everything kept;
//! - `into-model`: `dockopt::parse_owned(text).into_model()`, only the model kept (what
//!   `dockopt parse -f json` does).

use std::hint::black_box;
use std::{env, fs, process};

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    let [mode, path] = args.as_slice() else { fail(2, "usage: parse_memory parse|model|into-model FILE") };
    let bytes = fs::read(path).unwrap_or_else(|e| fail(2, &format!("{path}: {e}")));
    let text = String::from_utf8(bytes).unwrap_or_else(|_| fail(1, &format!("{path}: not UTF-8")));
    match mode.as_str() {
        "parse" | "model" => {
            let file = dockopt::parse(&text);
            let syntax = file.syntax();
            println!("{} bytes, {} instructions", text.len(), syntax.instructions.len());
            if mode == "model" {
                let model = file.model();
                println!("model: {} stages, {} instructions", model.stages.len(), model.instructions.len());
                black_box(&model);
            }
            black_box((&text, &file));
        }
        "into-model" => {
            let model = dockopt::parse_owned(text).into_model();
            println!("model: {} stages, {} instructions", model.stages.len(), model.instructions.len());
            black_box(&model);
        }
        _ => fail(2, &format!("unknown mode {mode}")),
    }
}

fn fail(code: i32, message: &str) -> ! {
    eprintln!("{message}");
    process::exit(code)
}
