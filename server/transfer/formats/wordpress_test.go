package formats

import (
	"errors"
	"strings"
	"testing"

	"github.com/parleyhq/parley/server/transfer"
)

func wordpressWant(tb testing.TB) []transfer.Item {
	at := clock(tb)
	return []transfer.Item{
		&transfer.Thread{Key: "wordpress:post:2", URL: "https://blog.example.org/about/", Title: "About",
			CreatedAt: at("2015-01-05T10:00:00Z")},
		&transfer.Comment{Key: "wordpress:2:201", ThreadKey: "wordpress:post:2",
			Author: "Στέλιος Κ.", Email: "stelios.k@example.gr", Website: "https://stelios.example.gr",
			Body: "Καλησπέρα! Θα γράψετε και για την κρητική κουζίνα; Ντάκος, χοχλιοί μπουμπουριστοί…", HTML: true,
			Status: approved, CreatedAt: at("2015-02-14T19:31:07Z")},
		&transfer.Comment{Key: "wordpress:2:202", ThreadKey: "wordpress:post:2", ParentKey: "wordpress:2:201",
			Author: "Ana", Email: "ana@blog.example.org", Website: "https://blog.example.org",
			Body: "Ναι, το καλοκαίρι! Chania in June, if the ferries cooperate.", HTML: true,
			Status: approved, CreatedAt: at("2015-02-15T08:02:51Z")},
		// 203 is a trackback.

		&transfer.Thread{Key: "wordpress:post:12", URL: "https://blog.example.org/2015/03/burek/",
			Title: "Burek, the honest way", CreatedAt: at("2015-03-01T09:00:00Z")},
		&transfer.Comment{Key: "wordpress:12:101", ThreadKey: "wordpress:post:12",
			Author: "Marija Novak", Email: "marija.novak@example.hr",
			Body: "Moja baka bi rekla da pravi burek ima samo meso. Sve ostalo je pita! 😄", HTML: true,
			Status: approved, CreatedAt: at("2015-03-01T11:15:00Z")},
		&transfer.Comment{Key: "wordpress:12:102", ThreadKey: "wordpress:post:12", ParentKey: "wordpress:12:101",
			Author: "Ana", Email: "ana@blog.example.org", Website: "https://blog.example.org",
			Body: "Haha, the eternal debate. Sirnica and krumpiruša are still delicious <em>pita</em>.", HTML: true,
			Status: approved, CreatedAt: at("2015-03-01T12:40:12Z")},
		&transfer.Comment{Key: "wordpress:12:103", ThreadKey: "wordpress:post:12", ParentKey: "wordpress:12:102",
			Author: "Marija Novak", Email: "marija.novak@example.hr",
			Body: "Slažem se, krumpiruša je moja slabost.", HTML: true,
			Status: approved, CreatedAt: at("2015-03-01T13:02:33Z")},
		&transfer.Comment{Key: "wordpress:12:104", ThreadKey: "wordpress:post:12", ParentKey: "wordpress:12:103",
			Author: "Dave", Email: "dave@example.com", // the website was a bare "http://"
			Body: "What&#39;s krumpiruša? Potato burek?", HTML: true,
			Status: approved, CreatedAt: at("2015-03-02T07:00:01Z")},
		&transfer.Comment{Key: "wordpress:12:105", ThreadKey: "wordpress:post:12",
			Author: "Goran", Email: "goran.b@example.ba",
			Body: "First time stretching the dough by hand — any tips?\n\nIt kept tearing near the edges.", HTML: true,
			Status: pending, CreatedAt: at("2015-03-03T20:44:10Z")},
		&transfer.Comment{Key: "wordpress:12:106", ThreadKey: "wordpress:post:12",
			Author: "casino bonus 2015", Email: "win@casino.example.net", Website: "http://casino.example.net",
			Body: `Great post! <a href="http://casino.example.net">Best bonus here</a>`, HTML: true,
			Status: spam, CreatedAt: at("2015-03-04T02:03:03Z")},
		&transfer.Comment{Key: "wordpress:12:107", ThreadKey: "wordpress:post:12",
			Author: "Ivo", Email: "ivo@example.hr",
			Body: "test", HTML: true,
			Status: deleted, CreatedAt: at("2015-03-04T09:10:10Z")},
		// 108 is a pingback.
		&transfer.Comment{Key: "wordpress:12:109", ThreadKey: "wordpress:post:12",
			Body: "Can I bake it in a round tin instead of rolling it into a spiral?", HTML: true,
			Status: approved, CreatedAt: at("2015-03-07T18:20:00Z")}, // comment_date_gmt was unset

		// Post 13 is an attachment and 14 a menu item.

		&transfer.Thread{Key: "wordpress:post:15", URL: "https://blog.example.org/2016/03/zurek/",
			Title: "Żurek for Easter", CreatedAt: at("2016-03-25T06:30:00Z")},
		&transfer.Comment{Key: "wordpress:15:401", ThreadKey: "wordpress:post:15",
			Author: "Agnieszka Wróbel", Email: "a.wrobel@example.pl", Website: "https://kuchnia-agi.example.pl/",
			Body: "Żurek bez białej kiełbasy to nie żurek. Dodajcie też jajko na twardo i łyżkę chrzanu!", HTML: true,
			Status: approved, CreatedAt: at("2016-03-25T08:12:40Z")},
		&transfer.Comment{Key: "wordpress:15:402", ThreadKey: "wordpress:post:15", ParentKey: "wordpress:15:401",
			Author: "Ana", Email: "ana@blog.example.org", Website: "https://blog.example.org",
			Body: "Dziękuję! Poprawiłam przepis — chrzan już jest.", HTML: true,
			Status: approved, CreatedAt: at("2016-03-25T09:01:00Z")},
		&transfer.Comment{Key: "wordpress:15:403", ThreadKey: "wordpress:post:15",
			Author: "Piotr", Email: "piotr@example.pl",
			Body: `Step 3 shows a stray "]]>" at the end of the line — left over from the old editor?`, HTML: true,
			Status: approved, CreatedAt: at("2016-03-26T14:45:00Z")},
		&transfer.Comment{Key: "wordpress:15:404", ThreadKey: "wordpress:post:15", ParentKey: "wordpress:15:403",
			Author: "Ana", Email: "ana@blog.example.org", Website: "https://blog.example.org",
			Body: "Good catch, fixed. Dzięki!", HTML: true,
			Status: approved, CreatedAt: at("2016-03-26T15:10:00Z")},
		&transfer.Comment{Key: "wordpress:15:405", ThreadKey: "wordpress:post:15",
			Author: "Kasia", Email: "kasia@example.pl",
			Body: "Wesołych Świąt! I made it with zakwas from the market and it was perfect.", HTML: true,
			Status: deleted, CreatedAt: at("2016-03-27T06:00:00Z")},
		// 406 is a pingback and 407 a review.

		&transfer.Thread{Key: "wordpress:post:16", URL: "https://blog.example.org/?p=16",
			Title: "Sarma, slowly", CreatedAt: at("2016-11-20T10:00:00Z")}, // a draft: post_date_gmt unset
		&transfer.Thread{Key: "wordpress:post:17", URL: "https://blog.example.org/2017/05/cevapi/",
			Title: "Ćevapi in Sarajevo & Banja Luka", CreatedAt: at("2017-05-13T16:00:00Z")},
	}
}

const wxrHead = `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
`

// wxrComment is a comment with the given fields, between the usual ones.
func wxrComment(fields string) string {
	return `<wp:comment><wp:comment_id>5</wp:comment_id>` + fields + `</wp:comment>`
}

func TestWordPressErrors(t *testing.T) {
	item := `<item><link>https://example.com/a/</link><wp:post_id>9</wp:post_id>` + "\n"
	good := `<wp:comment_date_gmt>2013-09-12 15:04:05</wp:comment_date_gmt><wp:comment_approved>1</wp:comment_approved>`
	tests := []struct{ name, in, where string }{
		{"empty file", "", "line 1"},
		{"a Disqus file", `<disqus xmlns="http://disqus.com"></disqus>`, "line 1"},
		{"bad comment date", wxrHead + item + wxrComment(
			"\n<wp:comment_date_gmt>12.09.2013</wp:comment_date_gmt><wp:comment_approved>1</wp:comment_approved>\n") +
			"</item></channel></rss>", "line 5 (comment 5 of post 9)"},
		{"no comment date", wxrHead + item + wxrComment(
			"<wp:comment_date_gmt>0000-00-00 00:00:00</wp:comment_date_gmt><wp:comment_date>0000-00-00 00:00:00</wp:comment_date><wp:comment_approved>1</wp:comment_approved>") +
			"</item></channel></rss>", "line 5 (comment 5 of post 9)"},
		{"unknown approval", wxrHead + item + wxrComment(
			"<wp:comment_date_gmt>2013-09-12 15:04:05</wp:comment_date_gmt><wp:comment_approved>maybe</wp:comment_approved>") +
			"</item></channel></rss>", "line 5 (comment 5 of post 9)"},
		{"bad parent", wxrHead + item + wxrComment(good+"<wp:comment_parent>abc</wp:comment_parent>") +
			"</item></channel></rss>", "line 5 (comment 5 of post 9)"},
		{"bad post date", wxrHead + item + "<wp:post_date_gmt>soon</wp:post_date_gmt>\n</item></channel></rss>",
			"line 4 (item 9)"},
		{"item without id", wxrHead + "<item><title>x</title></item></channel></rss>", "line 4 (item)"},
		{"item without link", wxrHead + "<item><wp:post_id>3</wp:post_id></item></channel></rss>", "line 4 (item 3)"},
		{"post id after its comments", wxrHead + item + wxrComment(good) + "\n<wp:post_id>10</wp:post_id></item></channel></rss>",
			"line 6 (item 9)"},
		{"cut in a comment", wxrHead + item + `<wp:comment><wp:comment_id>5</wp:comment_id><wp:comment_content><![CDATA[half`,
			"line 5 (comment 5 of post 9)"},
		{"no channel", `<rss version="2.0"></rss>`, "line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readAll(t, NewWordPress(strings.NewReader(tt.in)))
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
