package models

// FunnelDay is a row of funnel_days: one guide's funnel counters for a UTC
// day and locale. The store writes it with additive upserts in raw SQL.
type FunnelDay struct {
	GuideID         string `gorm:"primaryKey"`
	Day             string `gorm:"primaryKey"`
	Locale          string `gorm:"primaryKey"`
	Views           int64
	Uniques         int64
	ChecklistStarts int64
	Recommendations int64
	CTAClicks       int64 `gorm:"column:cta_clicks"`
	Leads           int64
}

// FunnelSource is a row of funnel_sources: views by referrer, source or
// campaign.
type FunnelSource struct {
	GuideID string `gorm:"primaryKey"`
	Day     string `gorm:"primaryKey"`
	Locale  string `gorm:"primaryKey"`
	Kind    string `gorm:"primaryKey"`
	Value   string `gorm:"primaryKey"`
	Views   int64
}

// FunnelVisitor is a row of funnel_visitors: today's visitor hashes.
type FunnelVisitor struct {
	Day     string `gorm:"primaryKey"`
	GuideID string `gorm:"primaryKey"`
	Hash    string `gorm:"primaryKey"`
}

// FunnelSalt is a row of funnel_salts: one random salt per UTC day.
type FunnelSalt struct {
	Day  string `gorm:"primaryKey"`
	Salt string
}
