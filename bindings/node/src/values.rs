//! Results as JS values. Each is written as JSON and turned into objects by V8's own
//! `JSON.parse`, several times faster than N-API calls building them property by property
//! (see scripts/bench-bindings). A result's long list (a model's instructions, findings) is
//! written in pieces, each parsed and appended in turn: its whole JSON never exists as one
//! JS string next to the objects made of it.
//!
//! All the JSON of one result together may not pass what one JS string holds
//! ([`MAX_JS_STRING`]): past it the result is `ERR_DOCKOPT_TOO_LARGE`, written no further.

use napi::JsValue;
use napi::bindgen_prelude::{Env, Function, JsObjectValue, Object, Result, Unknown};
use serde::Serialize;

use crate::errors::Failure;

/// V8's longest string on 64-bit platforms (`v8::String::kMaxLength`, 2^29 - 24 UTF-16 units).
const MAX_JS_STRING: usize = (1 << 29) - 24;

/// A piece of a list, in bytes of JSON: enough that the calls per piece cost nothing, and
/// under what V8 puts in its large-object space (collected late), so a piece's string goes
/// with the next scavenge.
const PIECE: usize = 1 << 16;

/// A result as JSON: the value whole, or a list whose items are written in pieces
/// (`[item,...]`), alone or as a field of a value.
pub struct Json {
    /// The JSON of the value (with the list's field written empty, `[]`); empty for a list
    /// alone.
    value: String,
    shape: Shape,
    pieces: Vec<String>,
}

enum Shape {
    Whole,
    List,
    /// The value's field of this name is the list.
    Field(&'static str),
}

impl Json {
    /// The JSON of `value`, whole.
    pub fn of(value: &impl Serialize) -> std::result::Result<Self, Failure> {
        let mut out = Writer::default();
        out.write(value)?;
        Ok(Self { value: out.take(), shape: Shape::Whole, pieces: Vec::new() })
    }

    /// The JSON of the list of `items`, in pieces.
    pub fn list<T: Serialize>(items: impl IntoIterator<Item = T>) -> std::result::Result<Self, Failure> {
        let mut out = Writer::default();
        Ok(Self { value: String::new(), shape: Shape::List, pieces: out.pieces(items)? })
    }

    /// The JSON of `value`, whose field `field` is written empty, and of `items`, the items
    /// of that field, in pieces.
    pub fn with_list<T: Serialize>(
        value: &impl Serialize,
        field: &'static str,
        items: impl IntoIterator<Item = T>,
    ) -> std::result::Result<Self, Failure> {
        let mut out = Writer::default();
        out.write(value)?;
        let value = out.take();
        Ok(Self { value, shape: Shape::Field(field), pieces: out.pieces(items)? })
    }

    /// The JS value (on the JS thread).
    pub fn into_js(self, env: &Env) -> Result<Unknown<'_>> {
        let (value, mut list) = match self.shape {
            Shape::Whole => return parse(env, self.value),
            Shape::List => {
                let array = env.create_array(0)?.coerce_to_object()?;
                (array.to_unknown(), List { env, array, len: 0 })
            }
            Shape::Field(name) => {
                let value = parse(env, self.value)?;
                let list = List::field(env, &value, name)?;
                (value, list)
            }
        };
        // Each piece is freed once appended.
        for piece in self.pieces {
            list.append(piece)?;
        }
        Ok(value)
    }
}

/// JS values of `json` (one JSON text no longer than a JS string: [`Writer`]'s), by
/// `JSON.parse`. Integers past 2^53 (byte counts) become the nearest double, as they would
/// in any JSON.
fn parse(env: &Env, json: String) -> Result<Unknown<'_>> {
    let json_object: Object = env.get_global()?.get_named_property("JSON")?;
    let parse: Function<String, Unknown> = json_object.get_named_property("parse")?;
    parse.call(json)
}

/// Plain JS data of `value`: what JSON.parse makes of its JSON.
pub fn to_js<'env>(env: &'env Env, value: &impl Serialize) -> Result<Unknown<'env>> {
    Json::of(value).map_err(|f| f.into_error(env))?.into_js(env)
}

/// A JS array being filled a piece at a time.
pub struct List<'env> {
    env: &'env Env,
    array: Object<'env>,
    /// Items in `array`.
    len: u32,
}

impl<'env> List<'env> {
    /// The array `name` of `value` (a JS object), to fill.
    pub fn field(env: &'env Env, value: &Unknown<'env>, name: &str) -> Result<Self> {
        Ok(Self { env, array: value.coerce_to_object()?.get_named_property(name)?, len: 0 })
    }

    /// Parse `piece` (`[item,...]`) and append its items.
    pub fn append(&mut self, piece: String) -> Result<()> {
        let (env, array, len) = (self.env, &mut self.array, &mut self.len);
        // The piece's string and array are garbage once appended, but a call's handles keep
        // every value made in it alive until it returns: without a scope of its own, each
        // piece would be held to the end, as much as the whole JSON at once. Nothing made in
        // the scope is used after it: the items live on in `array`, made outside it.
        env.run_in_scope(|| {
            let piece = parse(env, piece)?.coerce_to_object()?;
            for i in 0..piece.get_array_length()? {
                array.set_element(*len, piece.get_element::<Unknown>(i)?)?;
                *len += 1;
            }
            Ok(())
        })
    }
}

/// Writes JSON: values whole, or a list's items in pieces of about [`PIECE`] bytes. Stops
/// with `ERR_DOCKOPT_TOO_LARGE` once all it wrote passes [`MAX_JS_STRING`] UTF-16 units:
/// writing on would only take memory for text V8 cannot take.
#[derive(Default)]
pub struct Writer {
    bytes: Vec<u8>,
    units: usize,
    /// Bytes written, taken or not.
    written: usize,
}

impl Writer {
    /// Append the JSON of `value`.
    pub fn write(&mut self, value: &impl Serialize) -> std::result::Result<(), Failure> {
        // Plain data always serializes: the one error is the buffer refusing to grow.
        serde_json::to_writer(&mut *self, value).map_err(|_| Failure::too_large(self.written))
    }

    /// The JS value of `value`, written as the first part of a result whose list follows in
    /// pieces (the budget counts both).
    pub fn js<'env>(&mut self, env: &'env Env, value: &impl Serialize) -> Result<Unknown<'env>> {
        self.write(value).map_err(|f| f.into_error(env))?;
        parse(env, self.take())
    }

    /// Append a list's item to the piece being written; the piece, once it is long enough.
    pub fn item(&mut self, item: &impl Serialize) -> std::result::Result<Option<String>, Failure> {
        let separator: &[u8] = if self.bytes.is_empty() { b"[" } else { b"," };
        std::io::Write::write_all(self, separator).map_err(|_| Failure::too_large(self.written))?;
        self.write(item)?;
        Ok((self.bytes.len() >= PIECE).then(|| self.last_piece()).flatten())
    }

    /// `items` as a list in pieces.
    fn pieces<T: Serialize>(
        &mut self,
        items: impl IntoIterator<Item = T>,
    ) -> std::result::Result<Vec<String>, Failure> {
        let mut pieces = Vec::new();
        for item in items {
            pieces.extend(self.item(&item)?);
        }
        pieces.extend(self.last_piece());
        Ok(pieces)
    }

    /// The piece being written, closed, if it has items.
    pub fn last_piece(&mut self) -> Option<String> {
        if self.bytes.is_empty() {
            return None;
        }
        self.bytes.push(b']');
        Some(self.take())
    }

    /// The text written since the last `take`.
    fn take(&mut self) -> String {
        // Whole JSON values were written, so the bytes are UTF-8.
        String::from_utf8(std::mem::take(&mut self.bytes)).unwrap_or_default()
    }
}

impl std::io::Write for Writer {
    fn write(&mut self, text: &[u8]) -> std::io::Result<usize> {
        // One UTF-16 unit per character (a byte that is not a continuation byte), and a
        // second one for a character of four bytes.
        self.units += text.iter().map(|&b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0)).sum::<usize>();
        if self.units > MAX_JS_STRING {
            return Err(std::io::Error::other("longer than a JavaScript string"));
        }
        self.bytes.extend_from_slice(text);
        self.written += text.len();
        Ok(text.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
