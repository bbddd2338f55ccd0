package comment

import (
	"fmt"
	"strings"
	"testing"
)

// shape renders a tree as "id(status)[replies]" for comparison.
func shape(nodes []*Node) string {
	var parts []string
	for _, n := range nodes {
		s := fmt.Sprint(n.ID)
		if n.Status != StatusApproved {
			s += "(" + string(n.Status) + ")"
		}
		if len(n.Replies) > 0 {
			s += "[" + shape(n.Replies) + "]"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestTree(t *testing.T) {
	c := func(id, parent int64, st Status) Comment {
		return Comment{ID: id, ParentID: parent, Status: st, Author: "a", Email: "e@x.com", HTML: "<p>t</p>"}
	}
	tests := []struct {
		name     string
		in       []Comment
		want     string
		nVisible int
	}{
		{"flat", []Comment{c(1, 0, StatusApproved), c(2, 0, StatusApproved)}, "1 2", 2},
		{"nested deep", []Comment{c(1, 0, StatusApproved), c(2, 1, StatusApproved), c(3, 2, StatusApproved), c(4, 1, StatusApproved)}, "1[2[3] 4]", 4},
		{"hidden leaf dropped", []Comment{c(1, 0, StatusApproved), c(2, 1, StatusHidden)}, "1", 1},
		{"deleted with replies stays", []Comment{c(1, 0, StatusDeleted), c(2, 1, StatusApproved)}, "1(deleted)[2]", 1},
		{"spam with replies shows as hidden", []Comment{c(1, 0, StatusSpam), c(2, 1, StatusApproved)}, "1(hidden)[2]", 1},
		{"pending chain without visible reply dropped", []Comment{c(1, 0, StatusPending), c(2, 1, StatusPending)}, "", 0},
		{"orphan shown at top", []Comment{c(2, 99, StatusApproved)}, "2", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			roots, n := Tree(tt.in)
			if got := shape(roots); got != tt.want || n != tt.nVisible {
				t.Errorf("Tree = %q (%d visible), want %q (%d)", got, n, tt.want, tt.nVisible)
			}
		})
	}
}

func TestTreePlaceholderHidesContent(t *testing.T) {
	roots, _ := Tree([]Comment{
		{ID: 1, Status: StatusHidden, Author: "Troll", Email: "t@x.com", HTML: "<p>rude</p>", Body: "rude", Website: "https://t.example"},
		{ID: 2, ParentID: 1, Status: StatusApproved, HTML: "<p>reply</p>"},
	})
	p := roots[0].Comment
	if p.Author != "" || p.Email != "" || p.HTML != "" || p.Body != "" || p.Website != "" {
		t.Errorf("placeholder keeps content: %+v", p)
	}
}
