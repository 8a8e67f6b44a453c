// Empty on purpose: cargo only resolves [build-dependencies] for a crate with a build script.
fn main() {}
