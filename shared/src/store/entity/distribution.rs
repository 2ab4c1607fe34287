//! Table `distributions`.

use sea_orm::entity::prelude::*;

use crate::store::DbTime;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "distributions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub rule_id: String,
    pub variant_id: String,
    pub rollout: f64,
    pub created_at: DbTime,
    pub updated_at: DbTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
