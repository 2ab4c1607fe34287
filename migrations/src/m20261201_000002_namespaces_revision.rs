//! Adds `namespaces.revision`: a counter the write tier bumps in the same transaction as every
//! mutation in the namespace, and read tiers poll to notice changes. Purely additive (a defaulted
//! column) so Flipt v1.61.1 keeps working against the database.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A database that already has the column (e.g. restored from a dump) is left as is.
        if manager.has_column("namespaces", "revision").await? {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE namespaces ADD COLUMN revision BIGINT NOT NULL DEFAULT 0",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if !manager.has_column("namespaces", "revision").await? {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE namespaces DROP COLUMN revision")
            .await?;
        Ok(())
    }
}
