package models

import "gorm.io/gorm"

// gormDB shortens preload callback signatures.
type gormDB = gorm.DB
