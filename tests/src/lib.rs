//! End-to-end tests of the real tiers over real databases (SQLite, PostgreSQL, MariaDB).
//!
//! Everything is under `cfg(test)`: this crate is one test binary. Each test gets a fresh
//! database and random ports, so tests run in parallel. Database servers are taken from
//! `TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432`) and `TEST_MYSQL_URL`
//! (default `mysql://root@127.0.0.1:3306`).

#[cfg(test)]
mod bad_input;
#[cfg(test)]
mod binary;
#[cfg(test)]
mod compression;
#[cfg(test)]
mod deployment;
#[cfg(test)]
mod evaluation;
#[cfg(test)]
mod extensions;
#[cfg(test)]
mod flags;
#[cfg(test)]
mod grpc;
#[cfg(test)]
mod harness;
#[cfg(test)]
mod legacy;
#[cfg(test)]
mod meta;
#[cfg(test)]
mod namespaces;
#[cfg(test)]
mod ofrep;
#[cfg(test)]
mod python_sdk;
#[cfg(test)]
mod read_harness;
#[cfg(test)]
mod read_tier;
#[cfg(test)]
mod redis_cluster;
#[cfg(test)]
mod redis_tls;
#[cfg(test)]
mod revision;
#[cfg(test)]
mod rollouts;
#[cfg(test)]
mod rules;
#[cfg(test)]
mod sdk_evaluation;
#[cfg(test)]
mod segments;
#[cfg(test)]
mod snapshot;
#[cfg(test)]
mod startup;
#[cfg(test)]
mod topology;
#[cfg(test)]
mod variants;
