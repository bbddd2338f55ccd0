package formats

import (
	"errors"
	"strings"
	"testing"

	"github.com/parleyhq/parley/server/transfer"
)

func remark42Want(tb testing.TB) []transfer.Item {
	at := clock(tb)
	const (
		podcast = "https://radio.example.com/podcast/512/"
		trams   = "https://radio.example.com/blog/warsaw-trams/"
		pastry  = "https://radio.example.com/blog/thessaloniki-bougatsa/"
	)
	return []transfer.Item{
		&transfer.Thread{Key: "remark42:url:" + podcast, URL: podcast, Title: "Episode 512: the Zagreb meetup"},
		&transfer.Comment{Key: "remark42:3b1d4a2e-8f0c-4c3a-9d6e-1a2b3c4d5e01", ThreadKey: "remark42:url:" + podcast,
			Author: "Hrvoje", Body: "Bilo je super na meetupu u Zagrebu! Hvala na pozivu.",
			Status: approved, CreatedAt: at("2019-01-09T17:08:01.123456Z")},
		&transfer.Comment{Key: "remark42:3b1d4a2e-8f0c-4c3a-9d6e-1a2b3c4d5e02", ThreadKey: "remark42:url:" + podcast,
			ParentKey: "remark42:3b1d4a2e-8f0c-4c3a-9d6e-1a2b3c4d5e01",
			Author:    "Host Mike", Official: true, Body: "Thanks for coming, Hrvoje. Next one in **Split**?",
			Status: approved, CreatedAt: at("2019-01-09T17:20:45.5Z")},
		&transfer.Comment{Key: "remark42:3b1d4a2e-8f0c-4c3a-9d6e-1a2b3c4d5e03", ThreadKey: "remark42:url:" + podcast,
			ParentKey: "remark42:3b1d4a2e-8f0c-4c3a-9d6e-1a2b3c4d5e02",
			Author:    "Ivana", Body: "Split, svakako! 🙌",
			Status: approved, CreatedAt: at("2019-01-09T18:01:00Z")},
		&transfer.Comment{Key: "remark42:3b1d4a2e-8f0c-4c3a-9d6e-1a2b3c4d5e04", ThreadKey: "remark42:url:" + podcast,
			ParentKey: "remark42:3b1d4a2e-8f0c-4c3a-9d6e-1a2b3c4d5e03",
			Author:    "Ghost", Body: "+1 for Split, but please not in August",
			Status: approved, CreatedAt: at("2019-01-10T08:15:30Z")},
		&transfer.Comment{Key: "remark42:3b1d4a2e-8f0c-4c3a-9d6e-1a2b3c4d5e05", ThreadKey: "remark42:url:" + podcast,
			HTML: true, Status: deleted, CreatedAt: at("2019-01-10T09:00:00Z")},
		&transfer.Comment{Key: "remark42:3b1d4a2e-8f0c-4c3a-9d6e-1a2b3c4d5e06", ThreadKey: "remark42:url:" + podcast,
			Author: "old-disqus-user", Body: "<p>Imported from the old site: <b>great</b> episode, as always.</p>", HTML: true,
			Status: approved, CreatedAt: at("2017-06-01T12:00:00Z")},

		&transfer.Thread{Key: "remark42:url:" + trams, URL: trams, Title: "Warsaw's trams at night"},
		&transfer.Comment{Key: "remark42:7c2e9f10-4b8d-4f3e-a1c2-0d9e8f7a6b01", ThreadKey: "remark42:url:" + trams,
			Author: "Krzysztof", Body: "Nocne tramwaje na Pradze to osobny świat. Polecam linię 24.",
			Status: approved, CreatedAt: at("2020-03-01T22:41:00.5Z")},
		&transfer.Comment{Key: "remark42:7c2e9f10-4b8d-4f3e-a1c2-0d9e8f7a6b02", ThreadKey: "remark42:url:" + trams,
			ParentKey: "remark42:7c2e9f10-4b8d-4f3e-a1c2-0d9e8f7a6b01",
			Author:    "Anna", Body: "A ja wolę autobusy nocne — *N25* przez całe miasto.",
			Status: approved, CreatedAt: at("2020-03-02T06:02:13Z")},
		&transfer.Comment{Key: "remark42:7c2e9f10-4b8d-4f3e-a1c2-0d9e8f7a6b03", ThreadKey: "remark42:url:" + trams,
			ParentKey: "remark42:7c2e9f10-4b8d-4f3e-a1c2-0d9e8f7a6b02",
			Author:    "Krzysztof", Body: "N25 to klasyk 😄",
			Status: approved, CreatedAt: at("2020-03-02T07:30:00Z")},
		&transfer.Comment{Key: "remark42:7c2e9f10-4b8d-4f3e-a1c2-0d9e8f7a6b04", ThreadKey: "remark42:url:" + trams,
			Body:   "Does the 24 still run past the Vistula at 2am?",
			Status: approved, CreatedAt: at("2020-03-03T01:12:00Z")},

		&transfer.Thread{Key: "remark42:url:" + pastry, URL: pastry}, // its first comment has no title
		&transfer.Comment{Key: "remark42:a9d8c7b6-5e4f-4a3b-8c2d-1e0f9a8b7c01", ThreadKey: "remark42:url:" + pastry,
			Author: "Γιώργος", Body: "Η καλύτερη μπουγάτσα είναι στον Μπαντή, με κρέμα και πολλή κανέλα.",
			Status: approved, CreatedAt: at("2021-07-15T06:30:00Z")},
		&transfer.Comment{Key: "remark42:a9d8c7b6-5e4f-4a3b-8c2d-1e0f9a8b7c02", ThreadKey: "remark42:url:" + pastry,
			ParentKey: "remark42:a9d8c7b6-5e4f-4a3b-8c2d-1e0f9a8b7c01",
			Author:    "Host Mike", Official: true, Body: "Σημειώθηκε! We’ll try it next trip.",
			Status: approved, CreatedAt: at("2021-07-15T06:45:10Z")},
		&transfer.Comment{Key: "remark42:a9d8c7b6-5e4f-4a3b-8c2d-1e0f9a8b7c03", ThreadKey: "remark42:url:" + pastry,
			ParentKey: "remark42:a9d8c7b6-5e4f-4a3b-8c2d-1e0f9a8b7c02",
			Author:    "Γιώργος", Body: "Και μην ξεχάσετε τον φραπέ 😉",
			Status: approved, CreatedAt: at("2021-07-15T07:02:00Z")},
		&transfer.Comment{Key: "remark42:a9d8c7b6-5e4f-4a3b-8c2d-1e0f9a8b7c04", ThreadKey: "remark42:url:" + pastry,
			Author: "Ελένη", Body: "<p>The <em>tsoureki</em> at Terkenlis is also a must.</p>", HTML: true,
			Status: approved, CreatedAt: at("2021-07-16T14:20:00Z")},
	}
}

func TestRemark42Errors(t *testing.T) {
	const meta = `{"version":1,"users":[],"posts":[]}` + "\n"
	const loc = `"locator":{"site":"s","url":"https://example.com/a/"}`
	tests := []struct{ name, in, where string }{
		{"empty file", "", "line 1"},
		{"no meta record", `{"id":"1",` + loc + `,"time":"2019-01-09T11:08:01Z"}` + "\n", "line 1"},
		{"unknown version", `{"version":7}` + "\n", "line 1"},
		{"meta cut short", `{"version":1,"users":[{"id":"x"`, "line 1"},
		{"bad time", meta + `{"id":"a",` + loc + `,"time":"2019-01-09T11:08:01Z"}` + "\n" +
			`{"id":"b",` + loc + `,"time":"09.01.2019"}` + "\n", "line 3 (comment b)"},
		{"no url", meta + "\n" + `{"id":"c","time":"2019-01-09T11:08:01Z"}`, "line 3 (comment c)"},
		{"no id", meta + `{` + loc + `,"time":"2019-01-09T11:08:01Z"}`, "line 2"},
		{"wrong type", meta + `{"id":"d","delete":"yes"}`, "line 2"},
		{"cut in a comment", meta + `{"id":"e",` + loc + `,"text":"<p>Half a sen`, "line 2"},
		{"not JSON", meta + "id,text\n1,hello\n", "line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readAll(t, NewRemark42(strings.NewReader(tt.in)))
			var se *transfer.SourceError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a *transfer.SourceError", err)
			}
			if se.Where != tt.where {
				t.Errorf("Where = %q, want %q (%v)", se.Where, tt.where, err)
			}
		})
	}
}
