package store

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/parleyhq/parley/server/comment"
)

type siteRow struct {
	ID                 int64
	Name               string
	Title              string
	Origins            string
	EditWindowSeconds  int64
	Moderation         string
	Blocklist          string
	MaxLinks           int
	TimeZone           string
	BusinessHours      string
	Holidays           string
	ReplyTargetSeconds int64
	AckTexts           string // JSON: language → wording
	CreatedAt          time.Time
}

func (siteRow) TableName() string { return "sites" }

func (r siteRow) site() comment.Site {
	return comment.Site{ID: r.ID, Name: r.Name, Title: r.Title, Origins: splitLines(r.Origins),
		EditWindow: time.Duration(r.EditWindowSeconds) * time.Second, Moderation: comment.Moderation(r.Moderation),
		Blocklist: splitLines(r.Blocklist), MaxLinks: r.MaxLinks, CreatedAt: r.CreatedAt,
		TimeZone: r.TimeZone, Hours: r.BusinessHours, Holidays: r.Holidays,
		ReplyTarget: time.Duration(r.ReplyTargetSeconds) * time.Second, AckTexts: decodeAckTexts(r.AckTexts)}
}

// decodeAckTexts reads the ack_texts column. What does not parse (it never
// should: only encodeAckTexts writes it) counts as no wording, so that the
// defaults show rather than the site failing to load.
func decodeAckTexts(s string) map[string]string {
	var m map[string]string
	if json.Unmarshal([]byte(s), &m) != nil || len(m) == 0 {
		return nil
	}
	return m
}

func encodeAckTexts(m map[string]string) string {
	if len(m) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(m) // a map of strings always encodes
	return string(b)
}

type siteAssigneeRow struct {
	SiteID int64
	UserID int64
}

func (siteAssigneeRow) TableName() string { return "site_assignees" }

type siteAuthorRow struct {
	SiteID int64
	Author string
	UserID int64
}

func (siteAuthorRow) TableName() string { return "site_authors" }

// withRouting fills in the sites' assignees and author routes.
func (s *Store) withRouting(ctx context.Context, sites []comment.Site) error {
	var assignees []siteAssigneeRow
	var authors []siteAuthorRow
	db := s.db.WithContext(ctx)
	if err := db.Order("site_id, user_id").Find(&assignees).Error; err != nil {
		return translate(err, "site assignees find")
	}
	if err := db.Order("site_id, author").Find(&authors).Error; err != nil {
		return translate(err, "site authors find")
	}
	at := make(map[int64]int, len(sites))
	for i, st := range sites {
		at[st.ID] = i
	}
	for _, r := range assignees {
		if i, ok := at[r.SiteID]; ok {
			sites[i].Assignees = append(sites[i].Assignees, r.UserID)
		}
	}
	for _, r := range authors {
		if i, ok := at[r.SiteID]; ok {
			sites[i].Authors = append(sites[i].Authors, comment.AuthorRoute{Author: r.Author, UserID: r.UserID})
		}
	}
	return nil
}

// saveRouting replaces the site's assignees and author routes with st's
// (each only when st sets it).
func saveRouting(tx *gorm.DB, st comment.Site) error {
	if st.Assignees != nil {
		if err := tx.Where("site_id = ?", st.ID).Delete(&siteAssigneeRow{}).Error; err != nil {
			return err
		}
		for _, id := range st.Assignees {
			if err := tx.Create(&siteAssigneeRow{SiteID: st.ID, UserID: id}).Error; err != nil {
				return err
			}
		}
	}
	if st.Authors != nil {
		if err := tx.Where("site_id = ?", st.ID).Delete(&siteAuthorRow{}).Error; err != nil {
			return err
		}
		for _, r := range st.Authors {
			row := siteAuthorRow{SiteID: st.ID, Author: strings.TrimSpace(r.Author), UserID: r.UserID}
			if err := tx.Create(&row).Error; err != nil {
				return err
			}
		}
	}
	return nil
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
	if err := s.withRouting(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// SaveSite creates the site named st.Name, or updates an existing one from
// the configuration: its origins always, its title and edit window when st
// sets them. Settings made in the admin panel (premoderation) stay.
func (s *Store) SaveSite(ctx context.Context, st comment.Site) (comment.Site, error) {
	var row siteRow
	err := s.txdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
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
			row.TimeZone, row.BusinessHours = comment.DefaultTimeZone, comment.DefaultHours
			row.ReplyTargetSeconds = int64(comment.DefaultReplyTarget / time.Second)
			row.AckTexts = "{}"
		}
		return tx.Save(&row).Error
	})
	if err != nil {
		return comment.Site{}, translate(err, "site save "+st.Name)
	}
	return row.site(), nil
}

// UpdateSite stores a site's settings, and its assignees and author routes
// when st sets them.
func (s *Store) UpdateSite(ctx context.Context, st comment.Site) (comment.Site, error) {
	target := st.Target()
	err := s.txdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&siteRow{}).Where("id = ?", st.ID).Updates(map[string]any{
			"title": st.Title, "origins": strings.Join(st.Origins, "\n"),
			"edit_window_seconds": int64(st.EditWindow / time.Second), "moderation": string(st.Moderation),
			"blocklist": strings.Join(st.Blocklist, "\n"), "max_links": st.MaxLinks,
			"time_zone":      cmp.Or(st.TimeZone, comment.DefaultTimeZone),
			"business_hours": cmp.Or(st.Hours, comment.DefaultHours), "holidays": st.Holidays,
			"reply_target_seconds": int64(target / time.Second), "ack_texts": encodeAckTexts(st.AckTexts),
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return comment.Errorf(comment.NotFound, "There is no such site.")
		}
		return saveRouting(tx, st)
	})
	if err != nil {
		return comment.Site{}, translate(err, "site update")
	}
	var row siteRow
	if err := s.db.WithContext(ctx).Take(&row, st.ID).Error; err != nil {
		return comment.Site{}, translate(err, "site find")
	}
	out := []comment.Site{row.site()}
	if err := s.withRouting(ctx, out); err != nil {
		return comment.Site{}, err
	}
	return out[0], nil
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
