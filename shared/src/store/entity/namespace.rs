//! Table `namespaces`.

use sea_orm::entity::prelude::*;

use crate::store::DbTime;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "namespaces")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub name: String,
    pub description: String,
    pub protected: bool,
    pub created_at: DbTime,
    pub updated_at: DbTime,
    pub state_modified_at: Option<DbTime>,
    pub revision: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
