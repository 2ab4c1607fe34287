//! Table `variants`.

use sea_orm::entity::prelude::*;

use crate::store::{DbTime, JsonText};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "variants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub namespace_key: String,
    pub flag_key: String,
    pub key: String,
    pub name: String,
    pub description: String,
    pub attachment: Option<JsonText>,
    pub created_at: DbTime,
    pub updated_at: DbTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
