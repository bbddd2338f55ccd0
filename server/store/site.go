package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/parleyhq/parley/server/comment"
)

type siteRow struct {
	ID                int64
	Name              string
	Title             string
	Origins           string
	EditWindowSeconds int64
	CreatedAt         time.Time
}

func (siteRow) TableName() string { return "sites" }

func (r siteRow) site() comment.Site {
	var origins []string
	if r.Origins != "" {
		origins = strings.Split(r.Origins, "\n")
	}
	return comment.Site{ID: r.ID, Name: r.Name, Title: r.Title, Origins: origins,
		EditWindow: time.Duration(r.EditWindowSeconds) * time.Second, CreatedAt: r.CreatedAt}
}

// FindSites returns every site, by name.
func (s *Store) FindSites(ctx context.Context) ([]comment.Site, error) {
	var rows []siteRow
	if err := s.db.WithContext(ctx).Order("name").Find(&rows).Error; err != nil {
		return nil, translate(err, "sites find")
	}
	out := make([]comment.Site, len(rows))
	for i, r := range rows {
		out[i] = r.site()
	}
	return out, nil
}

// SaveSite creates the site named st.Name, or updates its title, origins and
// edit window.
func (s *Store) SaveSite(ctx context.Context, st comment.Site) (comment.Site, error) {
	var row siteRow
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Where("name = ?", st.Name).Take(&row).Error
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		row.Name, row.Title = st.Name, st.Title
		row.Origins = strings.Join(st.Origins, "\n")
		row.EditWindowSeconds = int64(st.EditWindow / time.Second)
		return tx.Save(&row).Error
	})
	if err != nil {
		return comment.Site{}, translate(err, "site save "+st.Name)
	}
	return row.site(), nil
}
