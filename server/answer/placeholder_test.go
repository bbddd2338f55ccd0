package answer

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/parleyhq/parley/server/comment"
)

var greek = Values{Name: "Ελένη Παπαδοπούλου", PostTitle: "Πότε έρχεται το Rover;", PostURL: "https://blog.example/rover/",
	Site: "Acme Ελλάς", StaffName: "Νίκος", Date: "2026-11-23"}

func TestFill(t *testing.T) {
	en := Values{Name: "Ana", PostTitle: "Rover ships", PostURL: "https://blog.example/p/", Site: "Acme", StaffName: "Jana", Date: "2026-11-23"}
	tests := []struct {
		name, tmpl string
		v          Values
		want       string
	}{
		{"every placeholder", "{name}|{post_title}|{post_url}|{site}|{staff_name}|{date}", en,
			"Ana|Rover ships|https://blog.example/p/|Acme|Jana|2026-11-23"},
		{"repeated", "Hi {name}, yes {name}.", en, "Hi Ana, yes Ana."},
		{"escaped braces", "Write {{name}} to get {name}.", en, "Write {name} to get Ana."},
		{"escaped around a placeholder", "{{{name}}}", en, "{Ana}"},
		{"lone braces are text", `a { b } c {"k": 1} {} {name`, en, `a { b } c {"k": 1} {} {name`},
		{"unknown left as written", "Hi {nme}", en, "Hi {nme}"},
		{"empty value", "Hi {name}!", Values{}, "Hi !"},
		{"greek", "Γεια σας {name}, σχετικά με «{post_title}» — {staff_name}, {site}", greek,
			"Γεια σας Ελένη Παπαδοπούλου, σχετικά με «Πότε έρχεται το Rover;» — Νίκος, Acme Ελλάς"},
		{"polish", "Dzień dobry {name}! Zażółć gęślą jaźń.", Values{Name: "Łukasz Żółć"}, "Dzień dobry Łukasz Żółć! Zażółć gęślą jaźń."},
		{"croatian", "Poštovani {name}, hvala na komentaru na {site}.", Values{Name: "Đurđa Šimić", Site: "Čarobni blog"},
			"Poštovani Đurđa Šimić, hvala na komentaru na Čarobni blog."},
		{"a value holding a placeholder is not filled again", "{name}", Values{Name: "{site}", Site: "Acme"}, "{site}"},
		{"markup in values stays text for the renderer", "Hi {name}", Values{Name: "<script>x</script>"}, "Hi <script>x</script>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fill(tt.tmpl, tt.v); got != tt.want {
				t.Errorf("Fill(%q) = %q, want %q", tt.tmpl, got, tt.want)
			}
		})
	}
}

func TestUnknown(t *testing.T) {
	tests := []struct {
		name, tmpl string
		want       []string
	}{
		{"none", "Hi {name}, {post_title} {post_url} {site} {staff_name} {date}", nil},
		{"one", "Hi {nme}", []string{"nme"}},
		{"case matters", "Hi {Name}", []string{"Name"}},
		{"each once, in order", "{a} {b} {a}", []string{"a", "b"}},
		{"escaped is not a placeholder", "{{order_id}}", nil},
		{"not a word", "{ name } {na-me} {имя}", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Unknown(tt.tmpl); !slices.Equal(got, tt.want) {
				t.Errorf("Unknown(%q) = %q, want %q", tt.tmpl, got, tt.want)
			}
		})
	}
}

func TestUnchanged(t *testing.T) {
	tmpl := "Hi {name},\n\nthanks for asking about {post_title}. It ships next week.\n\n{staff_name}"
	v := Values{Name: "Ana", PostTitle: "Rover", StaffName: "Jana"}
	filled := Fill(tmpl, v)
	tests := []struct {
		name, sent string
		want       bool
	}{
		{"as inserted", filled, true},
		{"CRLF line ends", strings.ReplaceAll(filled, "\n", "\r\n"), true},
		{"old Mac line ends", strings.ReplaceAll(filled, "\n", "\r"), true},
		{"re-wrapped and trailing space", "Hi Ana,\nthanks for asking about Rover.\nIt ships next week.   \n\nJana\n", true},
		{"no-break spaces and tabs", "Hi\u00a0Ana,\tthanks for asking about Rover. It ships next week. Jana", true},
		{"placeholders left as written", tmpl, true},
		{"a word added", "Hi Ana,\n\nthanks for asking about Rover. It ships next week, to Greece too.\n\nJana", false},
		{"a letter changed", strings.Replace(filled, "ships", "ship", 1), false},
		{"another name", strings.Replace(filled, "Ana", "Anna", 1), false},
		{"punctuation", strings.Replace(filled, "Hi Ana,", "Hi Ana!", 1), false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Unchanged(tmpl, v, tt.sent); got != tt.want {
				t.Errorf("Unchanged(%q) = %v, want %v", tt.sent, got, tt.want)
			}
		})
	}
	t.Run("non-ASCII", func(t *testing.T) {
		gr := "Γεια σας {name},\nευχαριστούμε για το σχόλιο στο «{post_title}».\n{staff_name}"
		if !Unchanged(gr, greek, strings.ReplaceAll(Fill(gr, greek), "\n", "\r\n ")) {
			t.Error("greek answer with CRLF and spaces counts as changed")
		}
		if Unchanged(gr, greek, strings.Replace(Fill(gr, greek), "ευχαριστούμε", "ευχαριστώ", 1)) {
			t.Error("greek answer with a word changed counts as unchanged")
		}
		pl := Values{Name: "Łukasz"}
		if Unchanged("Dzień dobry {name}!", pl, "Dzień dobry Łukaszu!") {
			t.Error("polish vocative counts as unchanged")
		}
		if !Unchanged("Poštovani {name},\nhvala.", Values{Name: "Đurđa"}, "Poštovani Đurđa, hvala.") {
			t.Error("croatian answer re-wrapped counts as changed")
		}
	})
}

func TestClean(t *testing.T) {
	tests := []struct {
		name, title, body string
		code              comment.Code
		field             string
	}{
		{"fine", "Shipping to Greece", "Hi {name}, we ship there.", "", ""},
		{"title folded", "  Shipping \n to\tGreece ", "x", "", ""},
		{"no title", " ", "x", comment.Invalid, "title"},
		{"long title", strings.Repeat("ż", MaxTitleLength+1), "x", comment.Invalid, "title"},
		{"no body", "t", " \n ", comment.Invalid, "body"},
		{"long body", "t", strings.Repeat("Ω", MaxBodyLength+1), comment.Invalid, "body"},
		{"unknown placeholder", "t", "Hi {customer}", comment.Invalid, "body"},
		{"escaped unknown is fine", "t", "Type {{customer}} in the form", "", ""},
		{"bad UTF-8", "t", "a\xffb", comment.BadEncoding, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			title, _, err := clean(tt.title, tt.body)
			var ce *comment.Error
			if comment.CodeOf(err) != tt.code {
				t.Fatalf("code %q (%v), want %q", comment.CodeOf(err), err, tt.code)
			}
			if errors.As(err, &ce) && ce.Field != tt.field {
				t.Errorf("field %q, want %q", ce.Field, tt.field)
			}
			if err == nil && title != strings.Join(strings.Fields(tt.title), " ") {
				t.Errorf("title %q", title)
			}
		})
	}
	_, _, err := clean("t", "Hi {customer}")
	if !strings.Contains(err.Error(), "{customer}") || !strings.Contains(err.Error(), "{post_title}") {
		t.Errorf("the message should name the unknown placeholder and the known ones: %v", err)
	}
}
