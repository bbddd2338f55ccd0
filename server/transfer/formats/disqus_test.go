package formats

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/parleyhq/parley/server/transfer"
)

func disqusWant(tb testing.TB) []transfer.Item {
	at := clock(tb)
	return []transfer.Item{
		&transfer.Thread{Key: "disqus:thread:3101", URL: "https://adriatic.example.com/2013/09/split-old-town/",
			Title: "A morning in Split's old town", CreatedAt: at("2013-09-10T08:00:00Z")},
		&transfer.Thread{Key: "disqus:thread:3102", URL: "https://adriatic.example.com/2013/10/greek-coffee/",
			Title: "Ελληνικός καφές: how to make it properly", CreatedAt: at("2013-10-02T19:30:00Z")},
		&transfer.Thread{Key: "disqus:thread:3103", URL: "https://adriatic.example.com/2014/01/pierogi/",
			Title: "Pierogi ruskie, step by step & a little history", CreatedAt: at("2014-01-18T12:05:31Z")},
		&transfer.Thread{Key: "disqus:thread:3104", URL: "https://adriatic.example.com/about/",
			Title: "About", CreatedAt: at("2013-08-01T09:00:00Z")},
		&transfer.Thread{Key: "disqus:thread:3105", URL: "https://adriatic.example.com/2014/03/ferry-timetables/",
			Title: "Ferry timetables (old)", CreatedAt: at("2014-03-02T07:45:00Z")},

		&transfer.Comment{Key: "disqus:5001", ThreadKey: "disqus:thread:3101",
			Author: "Ivana Horvat", Email: "ivana.horvat@example.hr",
			Body: "<p>Predivno! Dioklecijanova palača u rujnu je najljepša — bez gužve i bez vrućine.</p>", HTML: true,
			Status: approved, CreatedAt: at("2013-09-10T10:12:44Z")},
		&transfer.Comment{Key: "disqus:5002", ThreadKey: "disqus:thread:3101", ParentKey: "disqus:5001",
			Author: "Mark Ellis", Email: "mark.ellis@example.co.uk",
			Body: "<p>Agreed, we went in late September too. Did you find the café on the Peristyle?</p>", HTML: true,
			Status: approved, CreatedAt: at("2013-09-10T13:40:02Z")},
		&transfer.Comment{Key: "disqus:5003", ThreadKey: "disqus:thread:3101", ParentKey: "disqus:5002",
			Author: "Ivana Horvat", Email: "ivana.horvat@example.hr",
			Body: "<p>Jesam! Kava je skupa, ali pogled vrijedi svake kune 😊</p>", HTML: true,
			Status: approved, CreatedAt: at("2013-09-10T15:03:19Z")},
		&transfer.Comment{Key: "disqus:5004", ThreadKey: "disqus:thread:3101", ParentKey: "disqus:5003",
			Author: "Mark Ellis", Email: "mark.ellis@example.co.uk",
			Body: `<p>"Every kuna", ha. Noted for next year.</p>`, HTML: true,
			Status: approved, CreatedAt: at("2013-09-11T07:21:55Z")},
		&transfer.Comment{Key: "disqus:5005", ThreadKey: "disqus:thread:3101",
			Body: "<p>Is the Riva still closed for the renovation?</p>", HTML: true,
			Status: approved, CreatedAt: at("2013-09-12T18:30:00Z")},
		&transfer.Comment{Key: "disqus:5006", ThreadKey: "disqus:thread:3101",
			Author: "best-tickets", Email: "best.tickets@example.net",
			Body: `<p>Cheap ferry tickets to all islands <a href="http://tickets.example.net/?ref=dsq" rel="nofollow noopener">here</a>!!!</p>`, HTML: true,
			Status: spam, CreatedAt: at("2013-09-13T02:11:09Z")},
		&transfer.Comment{Key: "disqus:5007", ThreadKey: "disqus:thread:3101",
			Author: "Đuro Šimić", HTML: true,
			Status: deleted, CreatedAt: at("2013-09-14T11:00:47Z")},
		&transfer.Comment{Key: "disqus:5008", ThreadKey: "disqus:thread:3101", ParentKey: "disqus:5005",
			Author: "Ana Kovač", Email: "ana@adriatic.example.com",
			Body: `<p>It reopened in 2013, see <a href="http://www.visitsplit.example/riva" rel="nofollow noopener">the city's page</a>.</p>`, HTML: true,
			Status: approved, CreatedAt: at("2013-09-12T20:02:13Z")},

		&transfer.Comment{Key: "disqus:5010", ThreadKey: "disqus:thread:3102",
			Author: "Νίκος Παπαδόπουλος", Email: "nikos.p@example.gr",
			Body: "<p>Ο σωστός ελληνικός καφές θέλει μπρίκι και πολύ χαμηλή φωτιά. Μην τον αφήσεις να βράσει!</p>", HTML: true,
			Status: approved, CreatedAt: at("2013-10-02T21:14:00Z")},
		&transfer.Comment{Key: "disqus:5011", ThreadKey: "disqus:thread:3102", ParentKey: "disqus:5010",
			Author: "Ελένη", Email: "eleni@example.gr",
			Body: "<p>Και ένα ποτήρι νερό δίπλα, πάντα.</p>", HTML: true,
			Status: approved, CreatedAt: at("2013-10-03T06:48:27Z")},
		&transfer.Comment{Key: "disqus:5012", ThreadKey: "disqus:thread:3102", ParentKey: "disqus:5011",
			Author: "Tom", Email: "tom@example.com",
			Body: "<p>Why the water on the side? Genuinely curious.</p>", HTML: true,
			Status: approved, CreatedAt: at("2013-10-03T09:02:11Z")},
		&transfer.Comment{Key: "disqus:5013", ThreadKey: "disqus:thread:3102", ParentKey: "disqus:5012",
			Author: "Νίκος Παπαδόπουλος", Email: "nikos.p@example.gr",
			Body: "<p>Για να καθαρίσει ο ουρανίσκος — to clean the palate before the first sip.</p>", HTML: true,
			Status: approved, CreatedAt: at("2013-10-03T10:30:00Z")},
		&transfer.Comment{Key: "disqus:5014", ThreadKey: "disqus:thread:3102",
			Author: "Jan", Email: "jan.devries@example.nl",
			Body: "<p>&quot;Medium sweet&quot; is μέτριος, right? I always get it wrong &amp; end up with γλυκύς.</p>", HTML: true,
			Status: approved, CreatedAt: at("2013-10-05T16:20:45Z")},

		&transfer.Comment{Key: "disqus:5020", ThreadKey: "disqus:thread:3103",
			Author: "Małgorzata Wiśniewska", Email: "m.wisniewska@example.pl",
			Body: "<p>Babcia zawsze dodawała smażoną cebulkę do farszu. Ciasto tylko z mąki, wody i odrobiny oleju.</p>", HTML: true,
			Status: approved, CreatedAt: at("2014-01-18T14:09:12Z")},
		&transfer.Comment{Key: "disqus:5021", ThreadKey: "disqus:thread:3103", ParentKey: "disqus:5020",
			Author: "Paweł Żółkiewski", Email: "pawel.z@example.pl",
			Body: "<p>U nas w domu też, ale ze skwarkami! Zażółć gęślą jaźń.</p>", HTML: true,
			Status: approved, CreatedAt: at("2014-01-18T17:55:03Z")},
		&transfer.Comment{Key: "disqus:5022", ThreadKey: "disqus:thread:3103", ParentKey: "disqus:5021",
			Author: "Małgorzata Wiśniewska", Email: "m.wisniewska@example.pl",
			Body: "<p>Skwarki to już wersja świąteczna 🙂</p>", HTML: true,
			Status: approved, CreatedAt: at("2014-01-19T08:01:00Z")},
		&transfer.Comment{Key: "disqus:5023", ThreadKey: "disqus:thread:3103",
			Author: "Chris", Email: "chris@example.org",
			Body: "<p>Made these last night.</p>\n<p>Tip: freeze them on a tray first, then bag them, or they stick together.</p>", HTML: true,
			Status: approved, CreatedAt: at("2014-02-02T21:37:18Z")},
		&transfer.Comment{Key: "disqus:5024", ThreadKey: "disqus:thread:9999", // no such thread in the file
			Author: "Ana Kovač", Email: "ana@adriatic.example.com",
			Body: "<p>Test from the old staging site.</p>", HTML: true,
			Status: approved, CreatedAt: at("2012-11-30T23:59:59Z")},
		&transfer.Comment{Key: "disqus:5030", ThreadKey: "disqus:thread:3105", // the thread is deleted; the post is not
			Author: "Luka",
			Body:   "<p>Jadrolinija changed the winter timetable again, the 7:30 to Brač is now at 8:00.</p>", HTML: true,
			Status: approved, CreatedAt: at("2014-03-03T09:12:00Z")},
	}
}

const disqusHead = `<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
`

func TestDisqusErrors(t *testing.T) {
	tests := []struct{ name, in, where string }{
		{"empty file", "", "line 1"},
		{"wrong document", `<rss version="2.0"><channel/></rss>`, "line 1"},
		{"bad post date", disqusHead + `<post dsq:id="7">
  <message><![CDATA[hi]]></message>
  <createdAt>12/09/2013</createdAt>
  <thread dsq:id="1"/>
</post></disqus>`, "line 5 (post 7)"},
		{"bad thread date", disqusHead + `<thread dsq:id="1">
  <link>https://example.com/a/</link>
  <createdAt>yesterday</createdAt>
</thread></disqus>`, "line 5 (thread 1)"},
		{"bad flag", disqusHead + `<post dsq:id="8">
  <isSpam>maybe</isSpam>
</post></disqus>`, "line 4 (post 8)"},
		{"post without thread", disqusHead + `<post dsq:id="9">
  <createdAt>2013-09-12T15:04:05Z</createdAt>
</post></disqus>`, "line 5 (post 9)"},
		{"post without id", disqusHead + `<post><createdAt>2013-09-12T15:04:05Z</createdAt></post></disqus>`, "line 3"},
		{"thread without link", disqusHead + `<thread dsq:id="2"><title>x</title></thread></disqus>`, "line 3 (thread 2)"},
		{"unclosed root", disqusHead + `<category dsq:id="1"/>`, "line 3"},
		{"cut inside a post", disqusHead + `<post dsq:id="10">
  <message><![CDATA[<p>half a comm`, "line 4 (post 10)"},
		{"element after the root", disqusHead + `</disqus><disqus/>`, "line 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readAll(t, NewDisqus(strings.NewReader(tt.in)))
			var se *transfer.SourceError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a *transfer.SourceError", err)
			}
			if se.Where != tt.where {
				t.Errorf("Where = %q, want %q (%v)", se.Where, tt.where, err)
			}
			if errors.Is(err, io.EOF) {
				t.Errorf("err %v is io.EOF", err)
			}
		})
	}
}
