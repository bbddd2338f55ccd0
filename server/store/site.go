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
	Moderation        string
	Blocklist         string
	MaxLinks          int
	CreatedAt         time.Time
}

func (siteRow) TableName() string { return "sites" }

func (r siteRow) site() comment.Site {
	return comment.Site{ID: r.ID, Name: r.Name, Title: r.Title, Origins: splitLines(r.Origins),
		EditWindow: time.Duration(r.EditWindowSeconds) * time.Second, Moderation: comment.Moderation(r.Moderation),
		Blocklist: splitLines(r.Blocklist), MaxLinks: r.MaxLinks, CreatedAt: r.CreatedAt}
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

// SaveSite creates the site named st.Name, or updates an existing one from
// the configuration: its origins always, its title and edit window when st
// sets them. Settings made in the admin panel (premoderation) stay.
func (s *Store) SaveSite(ctx context.Context, st comment.Site) (comment.Site, error) {
	var row siteRow
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Where("name = ?", st.Name).Take(&row).Error
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		row.Name = st.Name
		row.Origins = strings.Join(st.Origins, "\n")
		if st.Title != "" || row.ID == 0 {
			row.Title = st.Title
		}
		if st.EditWindow != 0 || row.ID == 0 {
			row.EditWindowSeconds = int64(st.EditWindow / time.Second)
		}
		if row.ID == 0 {
			row.Moderation, row.MaxLinks = string(comment.ModerationOff), comment.DefaultMaxLinks
		}
		return tx.Save(&row).Error
	})
	if err != nil {
		return comment.Site{}, translate(err, "site save "+st.Name)
	}
	return row.site(), nil
}

// UpdateSite stores a site's title, origins, edit window and premoderation.
func (s *Store) UpdateSite(ctx context.Context, st comment.Site) (comment.Site, error) {
	res := s.db.WithContext(ctx).Model(&siteRow{}).Where("id = ?", st.ID).Updates(map[string]any{
		"title": st.Title, "origins": strings.Join(st.Origins, "\n"),
		"edit_window_seconds": int64(st.EditWindow / time.Second), "moderation": string(st.Moderation),
		"blocklist": strings.Join(st.Blocklist, "\n"), "max_links": st.MaxLinks,
	})
	if res.Error != nil {
		return comment.Site{}, translate(res.Error, "site update")
	}
	if res.RowsAffected == 0 {
		return comment.Site{}, comment.Errorf(comment.NotFound, "There is no such site.")
	}
	var row siteRow
	if err := s.db.WithContext(ctx).Take(&row, st.ID).Error; err != nil {
		return comment.Site{}, translate(err, "site find")
	}
	return row.site(), nil
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
