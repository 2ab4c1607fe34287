//! Table `flags`.

use sea_orm::entity::prelude::*;

use crate::store::DbTime;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "flags")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub namespace_key: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub name: String,
    pub description: String,
    pub enabled: bool,
    #[sea_orm(column_name = "type")]
    pub flag_type: i32,
    pub default_variant_id: Option<String>,
    pub metadata: Option<Json>,
    pub created_at: DbTime,
    pub updated_at: DbTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
