//! MySQL/MariaDB only: widens `namespaces.state_modified_at` from second precision to
//! `TIMESTAMP(6)`, so two changes in the same second yield distinct namespace versions
//! (operations.md §2.4 quirk). Flipt v1.61.1 reads and writes the wider column unchanged.
//! A no-op on PostgreSQL and SQLite, which already keep sub-second precision.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::MySql {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE namespaces MODIFY state_modified_at \
                 TIMESTAMP(6) NULL DEFAULT CURRENT_TIMESTAMP(6)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::MySql {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE namespaces MODIFY state_modified_at \
                 TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP",
            )
            .await?;
        Ok(())
    }
}
