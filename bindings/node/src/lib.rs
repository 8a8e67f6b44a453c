//! Node.js bindings for dockopt: conversion only, all behaviour lives in the core crate.

use napi::bindgen_prelude::{Buffer, Either, Env, Error, Result, Status, Unknown};
use napi_derive::napi;

/// Parse a Dockerfile (string, or UTF-8 bytes in a Buffer) into a plain object.
#[napi(ts_return_type = "Record<string, any>")]
pub fn parse<'env>(env: &'env Env, text: Either<String, Buffer>) -> Result<Unknown<'env>> {
    let model = match &text {
        Either::A(text) => dockopt::parse(text).model(),
        Either::B(bytes) => {
            let text = dockopt::decode(bytes).map_err(|err| Error::new(Status::InvalidArg, err.to_string()))?;
            dockopt::parse(text).model()
        }
    };
    // Serialize straight into JS values: no intermediate serde_json::Value tree.
    env.to_js_value(&model)
}
