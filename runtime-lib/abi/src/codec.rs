//! The compact binary encoding of the records the compiler embeds in a module image
//! ([`crate::meta::ModuleMeta`], [`crate::exe::ExeConfig`]): LEB128 integers, length-prefixed
//! strings and sequences, a tag byte per enum variant. Both sides run this same code, so the
//! format cannot drift; it is private to the crate.

use std::fmt;

/// Serializes `value`.
pub(crate) fn encode<T: Codec>(value: &T) -> Vec<u8> {
    let mut w = Writer(Vec::new());
    value.put(&mut w);
    w.0
}

/// Reads what [`encode`] wrote; every byte must be used.
pub(crate) fn decode<T: Codec>(bytes: &[u8]) -> Result<T, DecodeError> {
    let mut r = Reader { bytes, pos: 0 };
    let value = T::get(&mut r)?;
    if r.pos != bytes.len() {
        return Err(DecodeError(r.pos));
    }
    Ok(value)
}

/// Bytes that do not decode: the image is corrupt or from another ABI version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeError(pub usize);

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "corrupt module metadata at byte {}", self.0)
    }
}

impl std::error::Error for DecodeError {}

pub(crate) struct Writer(pub(crate) Vec<u8>);

impl Writer {
    pub(crate) fn uleb(&mut self, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.0.push(byte);
                return;
            }
            self.0.push(byte | 0x80);
        }
    }
}

pub(crate) struct Reader<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) pos: usize,
}

impl Reader<'_> {
    pub(crate) fn byte(&mut self) -> Result<u8, DecodeError> {
        let b = *self.bytes.get(self.pos).ok_or(DecodeError(self.pos))?;
        self.pos += 1;
        Ok(b)
    }

    pub(crate) fn uleb(&mut self) -> Result<u64, DecodeError> {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let b = self.byte()?;
            if shift >= 64 {
                return Err(DecodeError(self.pos));
            }
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
            shift += 7;
        }
    }

    pub(crate) fn fail<T>(&self) -> Result<T, DecodeError> {
        Err(DecodeError(self.pos))
    }
}

/// Serialization of one type.
pub(crate) trait Codec: Sized {
    fn put(&self, w: &mut Writer);
    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError>;
}

impl Codec for u64 {
    fn put(&self, w: &mut Writer) {
        w.uleb(*self)
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.uleb()
    }
}

impl Codec for u32 {
    fn put(&self, w: &mut Writer) {
        w.uleb(u64::from(*self))
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        u32::try_from(r.uleb()?).or_else(|_| r.fail())
    }
}

/// Signed integers are stored as the unsigned LEB128 of their two's-complement bits.
impl Codec for i32 {
    fn put(&self, w: &mut Writer) {
        (*self as u32).put(w)
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(u32::get(r)? as i32)
    }
}

impl Codec for i64 {
    fn put(&self, w: &mut Writer) {
        (*self as u64).put(w)
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(u64::get(r)? as i64)
    }
}

impl Codec for u128 {
    fn put(&self, w: &mut Writer) {
        (*self as u64).put(w);
        ((*self >> 64) as u64).put(w);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let lo = r.uleb()?;
        let hi = r.uleb()?;
        Ok(u128::from(lo) | (u128::from(hi) << 64))
    }
}

impl Codec for bool {
    fn put(&self, w: &mut Writer) {
        w.0.push(*self as u8)
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        match r.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => r.fail(),
        }
    }
}

impl Codec for String {
    fn put(&self, w: &mut Writer) {
        (self.len() as u64).put(w);
        w.0.extend_from_slice(self.as_bytes());
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let len = r.uleb()? as usize;
        let end = r.pos.checked_add(len).ok_or(DecodeError(r.pos))?;
        let bytes = r.bytes.get(r.pos..end).ok_or(DecodeError(r.pos))?;
        let s = std::str::from_utf8(bytes).map_err(|_| DecodeError(r.pos))?;
        r.pos = end;
        Ok(s.to_owned())
    }
}

impl<T: Codec> Codec for Vec<T> {
    fn put(&self, w: &mut Writer) {
        (self.len() as u64).put(w);
        for item in self {
            item.put(w);
        }
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let len = r.uleb()? as usize;
        // Each item takes at least one byte: a corrupt length cannot make us allocate wildly.
        if len > r.bytes.len() - r.pos {
            return r.fail();
        }
        (0..len).map(|_| T::get(r)).collect()
    }
}

impl<T: Codec> Codec for Option<T> {
    fn put(&self, w: &mut Writer) {
        match self {
            None => w.0.push(0),
            Some(v) => {
                w.0.push(1);
                v.put(w);
            }
        }
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        match r.byte()? {
            0 => Ok(None),
            1 => Ok(Some(T::get(r)?)),
            _ => r.fail(),
        }
    }
}

impl<A: Codec, B: Codec> Codec for (A, B) {
    fn put(&self, w: &mut Writer) {
        self.0.put(w);
        self.1.put(w);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok((A::get(r)?, B::get(r)?))
    }
}

/// Implements [`Codec`] for an enum: a tag byte, then the variant's fields in order. Each
/// variant's tag is written here once and serves both directions.
macro_rules! enum_codec {
    ($ty:ident { $($tag:literal => $variant:ident
        $(($($field:ident),+))? $({ $($named:ident),+ })?),* $(,)? }) => {
        impl Codec for $ty {
            fn put(&self, w: &mut Writer) {
                match self {
                    $($ty::$variant $(($($field),+))? $({ $($named),+ })? => {
                        w.0.push($tag);
                        $($($field.put(w);)+)?
                        $($($named.put(w);)+)?
                    })*
                }
            }
            fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                Ok(match r.byte()? {
                    $($tag => $ty::$variant
                        $(($({ let $field = Codec::get(r)?; $field }),+))?
                        $({ $($named: Codec::get(r)?),+ })?,)*
                    _ => return r.fail(),
                })
            }
        }
    };
}

/// Implements [`Codec`] for a struct field by field.
macro_rules! struct_codec {
    ($ty:ident { $($field:ident),* }) => {
        impl Codec for $ty {
            fn put(&self, w: &mut Writer) {
                $(self.$field.put(w);)*
            }
            fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                Ok($ty { $($field: Codec::get(r)?),* })
            }
        }
    };
}

pub(crate) use {enum_codec, struct_codec};
