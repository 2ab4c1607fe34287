//! Table `constraints`.

use sea_orm::entity::prelude::*;

use crate::store::DbTime;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "constraints")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub namespace_key: String,
    pub segment_key: String,
    #[sea_orm(column_name = "type")]
    pub constraint_type: i32,
    pub property: String,
    pub operator: String,
    pub value: String,
    pub description: Option<String>,
    pub created_at: DbTime,
    pub updated_at: DbTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
