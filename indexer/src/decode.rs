//! An event's fields as JSON, typed by the runtime's metadata: what the `fields` column holds.
//!
//! Accounts are SS58 addresses (prefix 42, as polkadot.js shows them), byte strings and
//! hashes are `0x` hex, numbers up to 2^64 are JSON numbers and larger ones decimal strings,
//! `Option`s are the value or `null`, unit enum variants their name and others
//! `{"Variant": fields}`; named fields are objects, a newtype is its inner value. So a query
//! reads like the chain's own names: `fields->>'patient' = '5F...'`.

use scale_info::{form::PortableForm, PortableRegistry, TypeDef, TypeDefPrimitive};
use scale_value::{Composite, Primitive, Value, ValueDef};
use serde_json::{json, Map, Value as Json};
use subxt::Metadata;

/// Why an event's fields could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
	/// The metadata has no such event.
	#[error("the metadata has no event {index} in pallet {pallet}")]
	UnknownEvent {
		/// The pallet's name.
		pallet: String,
		/// The event's index in the pallet.
		index: u8,
	},
	/// The bytes do not decode as the event's fields.
	#[error("the fields of {pallet}.{event} do not decode: {reason}")]
	Malformed {
		/// The pallet's name.
		pallet: String,
		/// The event's name.
		event: String,
		/// What scale-value said.
		reason: String,
	},
}

/// The fields of event `index` of `pallet`, SCALE-encoded in `bytes`, as a JSON object (named
/// fields) or array (unnamed ones).
pub fn event_fields(metadata: &Metadata, pallet: &str, index: u8, mut bytes: &[u8]) -> Result<Json, DecodeError> {
	let unknown = || DecodeError::UnknownEvent { pallet: pallet.into(), index };
	let variant = metadata.pallet_by_name(pallet).and_then(|p| p.event_variant_by_index(index)).ok_or_else(unknown)?;
	let types = metadata.types();
	let mut named = Map::new();
	let mut unnamed = Vec::new();
	for (position, field) in variant.fields.iter().enumerate() {
		let value = scale_value::scale::decode_as_type(&mut bytes, field.ty.id, types).map_err(|e| {
			DecodeError::Malformed { pallet: pallet.into(), event: variant.name.clone(), reason: e.to_string() }
		})?;
		let json = to_json(&value, types);
		match &field.name {
			Some(name) => {
				named.insert(name.clone(), json);
			},
			None => unnamed.push((position, json)),
		}
	}
	Ok(if named.is_empty() { Json::Array(unnamed.into_iter().map(|(_, j)| j).collect()) } else { Json::Object(named) })
}

/// `value` (decoded with type ids as its context) as JSON.
pub fn to_json(value: &Value<u32>, types: &PortableRegistry) -> Json {
	let ty = types.resolve(value.context);
	if let Some(ty) = ty {
		if ty.path.ident().as_deref() == Some("AccountId32") {
			if let Some(bytes) = bytes_of(value).filter(|b| b.len() == 32) {
				let account: [u8; 32] = bytes.try_into().expect("checked: 32 bytes; qed");
				return Json::String(healthchain_client::keys::ss58(&account));
			}
		}
		if is_byte_sequence(&ty.type_def, types) {
			if let Some(bytes) = bytes_of(value) {
				return Json::String(format!("0x{}", hex::encode(bytes)));
			}
		}
	}
	match &value.value {
		ValueDef::Primitive(primitive) => primitive_json(primitive),
		ValueDef::BitSequence(bits) => Json::String(bits.iter().map(|b| if b { '1' } else { '0' }).collect()),
		ValueDef::Composite(composite) => composite_json(composite, types),
		ValueDef::Variant(variant) => {
			let is_option = ty.is_some_and(|ty| ty.path.ident().as_deref() == Some("Option"));
			match (is_option, variant.name.as_str()) {
				(true, "None") => Json::Null,
				(true, "Some") => composite_json(&variant.values, types),
				_ if variant.values.is_empty() => Json::String(variant.name.clone()),
				_ => json!({ variant.name.clone(): composite_json(&variant.values, types) }),
			}
		},
	}
}

fn composite_json(composite: &Composite<u32>, types: &PortableRegistry) -> Json {
	match composite {
		Composite::Named(fields) =>
			Json::Object(fields.iter().map(|(name, value)| (name.clone(), to_json(value, types))).collect()),
		Composite::Unnamed(values) => match values.as_slice() {
			[] => Json::Null,
			[only] => to_json(only, types),
			many => Json::Array(many.iter().map(|v| to_json(v, types)).collect()),
		},
	}
}

fn primitive_json(primitive: &Primitive) -> Json {
	match primitive {
		Primitive::Bool(b) => Json::Bool(*b),
		Primitive::Char(c) => Json::String(c.to_string()),
		Primitive::String(s) => Json::String(s.clone()),
		Primitive::U128(n) => u64::try_from(*n).map_or_else(|_| Json::String(n.to_string()), Json::from),
		Primitive::I128(n) => i64::try_from(*n).map_or_else(|_| Json::String(n.to_string()), Json::from),
		Primitive::U256(bytes) | Primitive::I256(bytes) => Json::String(format!("0x{}", hex::encode(bytes))),
	}
}

/// Whether a type is a sequence or array of `u8`, or a newtype around one (`BoundedVec<u8>`).
fn is_byte_sequence(def: &TypeDef<PortableForm>, types: &PortableRegistry) -> bool {
	let is_u8 = |id: u32| {
		types.resolve(id).is_some_and(|t| matches!(t.type_def, TypeDef::Primitive(TypeDefPrimitive::U8)))
	};
	match def {
		TypeDef::Sequence(seq) => is_u8(seq.type_param.id),
		TypeDef::Array(array) => is_u8(array.type_param.id),
		TypeDef::Composite(c) if c.fields.len() == 1 =>
			types.resolve(c.fields[0].ty.id).is_some_and(|t| is_byte_sequence(&t.type_def, types)),
		_ => false,
	}
}

/// The bytes a value of a byte-sequence type holds: its `u8`s, through newtypes.
fn bytes_of(value: &Value<u32>) -> Option<Vec<u8>> {
	match &value.value {
		ValueDef::Composite(composite) => {
			let values: Vec<&Value<u32>> = composite.values().collect();
			if let [only] = values.as_slice() {
				if matches!(only.value, ValueDef::Composite(_)) {
					return bytes_of(only);
				}
			}
			values
				.into_iter()
				.map(|v| match v.value {
					ValueDef::Primitive(Primitive::U128(n)) => u8::try_from(n).ok(),
					_ => None,
				})
				.collect()
		},
		_ => None,
	}
}
