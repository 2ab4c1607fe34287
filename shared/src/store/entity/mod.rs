//! sea-orm entities of Flipt's tables. Relations are left out on purpose: queries join
//! explicitly, which keeps the SQL obvious and portable across the three databases.

pub mod constraint;
pub mod distribution;
pub mod flag;
pub mod namespace;
pub mod rollout;
pub mod rollout_segment;
pub mod rollout_segment_reference;
pub mod rollout_threshold;
pub mod rule;
pub mod rule_segment;
pub mod segment;
pub mod variant;
