//! Tollgate inputs: from files on disk to typed, line-aware resources.
//!
//! This crate finds configuration files ([`discover`]), detects their format
//! ([`formats`]), parses them ([`load`]), classifies documents ([`classify`]) into [`Resource`]s whose data is a
//! [`Node`] tree that remembers the lines of every property. It knows nothing
//! about rules: the engine decides what to do with resources. [`changed`]
//! narrows a discovery to what changed since a git revision.
//!
//! ```
//! use std::sync::Arc;
//! use tollgate_inputs::{parse_text, Format};
//!
//! let text: Arc<str> = Arc::from("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  hostNetwork: true\n");
//! let resources = parse_text(Format::YAML, "pod.yaml", &text).unwrap();
//! assert_eq!(resources[0].kind, "k8s:Pod");
//! assert_eq!(resources[0].id, "web");
//! assert_eq!(resources[0].lines_of("spec.hostNetwork").start, 6);
//! ```
#![forbid(unsafe_code)]

pub mod changed;
pub mod classify;
pub mod collect;
pub mod discover;
pub mod error;
pub mod formats;
pub mod lines;
pub mod load;
pub mod node;
pub mod resource;
pub mod suppress;

pub use discover::{discover, discover_with, Discovery, Excludes, InputFile, ParserOverrides};
pub use error::{InputError, ParseError, SuppressionError};
pub use formats::{detect, known_kinds, Format, Parser};
pub use load::{load, load_with_suppressions, parse_text, read_text, Loaded, DEFAULT_MAX_FILE_SIZE};
pub use node::{LineSpan, Node, NodeValue};
pub use resource::Resource;
pub use suppress::Suppression;
