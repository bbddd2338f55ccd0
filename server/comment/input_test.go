package comment

import (
	"strings"
	"testing"
)

func TestInputNormalize(t *testing.T) {
	tests := []struct {
		name  string
		in    Input
		want  Input
		field string // the field an Invalid error names; "" for success
	}{
		{"trims and keeps markdown", Input{Body: "  **hi**\r\nthere\x00\x1b  ", Author: "  Ana \t Maria "},
			Input{Body: "**hi**\nthere", Author: "Ana Maria"}, ""},
		{"empty body", Input{Body: " \n\t "}, Input{}, "body"},
		{"body too long", Input{Body: strings.Repeat("ж", MaxBodyLength+1)}, Input{}, "body"},
		{"body at the limit", Input{Body: strings.Repeat("ж", MaxBodyLength)}, Input{Body: strings.Repeat("ж", MaxBodyLength)}, ""},
		{"markup in name", Input{Body: "x", Author: "<b>Ana</b>"}, Input{}, "author"},
		{"name too long", Input{Body: "x", Author: strings.Repeat("a", MaxAuthorLength+1)}, Input{}, "author"},
		{"greek name", Input{Body: "x", Author: "Γιώργος Παπαδόπουλος"}, Input{Body: "x", Author: "Γιώργος Παπαδόπουλος"}, ""},
		{"email kept, domain lower-cased", Input{Body: "x", Email: "Ana.K@Example.COM"}, Input{Body: "x", Email: "Ana.K@example.com"}, ""},
		{"email with display name", Input{Body: "x", Email: "Ana <a@x.com>"}, Input{}, "email"},
		{"email without dot", Input{Body: "x", Email: "a@localhost"}, Input{}, "email"},
		{"bare host website", Input{Body: "x", Website: "ana.example"}, Input{Body: "x", Website: "https://ana.example"}, ""},
		{"javascript website", Input{Body: "x", Website: "javascript:alert(1)"}, Input{}, "website"},
		{"data website", Input{Body: "x", Website: "data:text/html,<script>"}, Input{}, "website"},
		{"website with quotes is escaped", Input{Body: "x", Website: `https://a.example/"onmouseover=x`},
			Input{Body: "x", Website: "https://a.example/%22onmouseover=x"}, ""},
		{"title folded", Input{Body: "x", Title: "A\n  title"}, Input{Body: "x", Title: "A title"}, ""},
		{"negative parent", Input{Body: "x", ParentID: -1}, Input{}, "parent_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			err := in.normalize()
			if tt.field != "" {
				var e *Error
				if err == nil || !asError(err, &e) || e.Field != tt.field {
					t.Fatalf("normalize() = %v, want an error about %s", err, tt.field)
				}
				return
			}
			if err != nil {
				t.Fatalf("normalize() = %v", err)
			}
			if in != tt.want {
				t.Errorf("normalize() gave %+v, want %+v", in, tt.want)
			}
		})
	}
}

func asError(err error, e **Error) bool {
	var ok bool
	*e, ok = err.(*Error)
	return ok
}
