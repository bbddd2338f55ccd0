package formats

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/parleyhq/parley/server/transfer"
)

func commentoWant(tb testing.TB) []transfer.Item {
	at := clock(tb)
	// The fixture's commentHex values, 1 to 14.
	hex := [...]string{"",
		"d0f631ca1ddba8db3bcfcb9e057cdc98d0379f1bee00e75a545147a27dadd982",
		"9c0abe51c6e6655d81de2d044d4fb194931f058c0426c67c7285d8f5657ed64a",
		"7c1c97df17c066924822b0af09a65251554962c61e23329aed04cd19020dc3b8",
		"0012a3fa000c5dc26ee658c3c58e12cecd58d6455cec3d5621f0c787675b38aa",
		"d0bf3e6ee1d668de18c9ca200a4f152062f345283ee68cadfe41204f215d75e9",
		"6db53c9d5a2ca72a85ddf3a681c0d9567899f4c48632a2e9b0beeba0d6938485",
		"f28d5b0d6f8be0da8446dabe79044cb9ed0ffa3150a003936155409fe778b885",
		"7ed6a8377b92b49472195f1201af304341daf4abb3643f837eafb38066111f6d",
		"95144b44f2a5ff5aa796af152bc61f599db54b2d1b7ecbc5c593ed4aeb47ba13",
		"1f311134efe1f98d5a9e049b42d7c73c3f9d825abe3319e16e21cfa65fa368b7",
		"f4baf901d1b9fcc11a9d3c714fda524455a9875aececc7a30b202a058bc696e6",
		"ebbfb53547b778a125159d0de39c0be05b019fa447e6d358bf1aae65926aa553",
		"74dda5282c81de22f5c8cc9e637b115f3666eaf03e57ae606ed60bcf5e5e3e1c",
		"f1727214f4ef703f993fa3e8abd21f194acb952a083c86cb2b0de70a8b09b9ea",
	}
	key := func(n int) string { return "commento:" + hex[n] }
	const (
		walls    = "https://blog.example.net/posts/dubrovnik-walls/"
		souvlaki = "https://blog.example.net/posts/souvlaki-vs-gyros/"
		amber    = "https://blog.example.net/posts/gdansk-amber/"
	)
	return []transfer.Item{
		&transfer.Thread{Key: "commento:url:" + walls, URL: walls},
		&transfer.Comment{Key: key(1), ThreadKey: "commento:url:" + walls,
			Author: "Petra Jurić", Email: "petra.juric@example.hr", // her link is Commento's "undefined"
			Body:   "Zidine su najljepše u zalazak sunca. Ulaznica je skupa, ali vrijedi.",
			Status: approved, CreatedAt: at("2019-05-06T12:34:56.789Z")},
		&transfer.Comment{Key: key(2), ThreadKey: "commento:url:" + walls, ParentKey: key(1),
			Author: "Daniel", Email: "daniel@blog.example.net", Website: "https://blog.example.net/about/", Official: true,
			Body:   "Agreed — go after 17:00, when the cruise crowds leave.",
			Status: approved, CreatedAt: at("2019-05-06T14:02:11.5Z")},
		&transfer.Comment{Key: key(3), ThreadKey: "commento:url:" + walls, ParentKey: key(2),
			Body:   "Is the Dubrovnik Pass worth it if we only do the walls & one museum?",
			Status: approved, CreatedAt: at("2019-05-07T08:00:00Z")},
		&transfer.Comment{Key: key(4), ThreadKey: "commento:url:" + walls, ParentKey: key(3),
			Author: "Petra Jurić", Email: "petra.juric@example.hr",
			Body:   "Za zidine i jedan muzej — da, isplati se.",
			Status: approved, CreatedAt: at("2019-05-07T09:15:42.001Z")},
		&transfer.Comment{Key: key(5), ThreadKey: "commento:url:" + walls,
			Author: "Mike T", Email: "mike.t@example.com",
			Body:   "Do they close the walls when the bura blows?",
			Status: pending, CreatedAt: at("2019-05-08T19:20:00Z")},
		&transfer.Comment{Key: key(6), ThreadKey: "commento:url:" + walls,
			Author: "seo-guru", Email: "guru@seo.example.biz", Website: "http://seo.example.biz",
			Body:   "Best [SEO services](http://seo.example.biz) in town <b>cheap</b>",
			Status: pending, CreatedAt: at("2019-05-09T03:33:33Z")},
		&transfer.Comment{Key: key(7), ThreadKey: "commento:url:" + walls,
			Body:   "[deleted]",
			Status: deleted, CreatedAt: at("2019-05-10T10:10:10Z")},

		&transfer.Thread{Key: "commento:url:" + souvlaki, URL: souvlaki},
		&transfer.Comment{Key: key(8), ThreadKey: "commento:url:" + souvlaki,
			Author: "Δημήτρης", Email: "dimitris@example.gr",
			Body:   "Σουβλάκι είναι το καλαμάκι, γύρος είναι ο γύρος. Τέλος συζήτησης. 😅",
			Status: approved, CreatedAt: at("2020-08-14T17:45:00Z")},
		&transfer.Comment{Key: key(9), ThreadKey: "commento:url:" + souvlaki, ParentKey: key(8),
			Author: "Jess", Email: "jess@example.co.uk", Website: "https://jess.example.co.uk",
			Body:   `So in Athens a "souvlaki" wrap is actually a gyros?`,
			Status: approved, CreatedAt: at("2020-08-14T18:01:30Z")},
		&transfer.Comment{Key: key(10), ThreadKey: "commento:url:" + souvlaki, ParentKey: key(9),
			Author: "Δημήτρης", Email: "dimitris@example.gr",
			Body:   "Ακριβώς! In Thessaloniki they'd say *πίτα γύρο*.",
			Status: approved, CreatedAt: at("2020-08-14T18:20:00Z")},
		&transfer.Comment{Key: key(11), ThreadKey: "commento:url:" + souvlaki, // its commenter is not in the file
			Body: "<p>Tzatziki <strong>always</strong>.</p>", HTML: true,
			Status: approved, CreatedAt: at("2020-08-15T07:00:00Z")},

		&transfer.Thread{Key: "commento:url:" + amber, URL: amber},
		&transfer.Comment{Key: key(12), ThreadKey: "commento:url:" + amber,
			Author: "Bartosz Kamiński", Email: "bartosz.k@example.pl",
			Body:   "Bursztyn kupujcie tylko w sklepach z certyfikatem — na Mariackiej jest sporo podróbek.",
			Status: approved, CreatedAt: at("2021-02-01T16:30:00.25Z")},
		&transfer.Comment{Key: key(13), ThreadKey: "commento:url:" + amber, ParentKey: key(12),
			Author: "Daniel", Email: "daniel@blog.example.net", Website: "https://blog.example.net/about/", Official: true,
			Body:   "Dzięki, Bartosz — dodam to do artykułu.",
			Status: approved, CreatedAt: at("2021-02-01T17:05:00Z")},
		&transfer.Comment{Key: key(14), ThreadKey: "commento:url:" + amber, ParentKey: key(13),
			Author: "Bartosz Kamiński", Email: "bartosz.k@example.pl",
			Body:   "Nie ma sprawy!",
			Status: approved, CreatedAt: at("2021-02-01T18:00:00Z")},
	}
}

func commentoFirstWant(tb testing.TB) []transfer.Item {
	at := clock(tb)
	const (
		n1 = "commento:676b8bb84ce7267dd520deca4811c8f10a53e636352f06987f42fe425acedd80"
		n2 = "commento:0480a93d2e9b094b89e08e01976089ac18193af802c66b631cc8d2dc1bae8c88"
		n3 = "commento:8721d664ef60096aa559e1aa6c72caf1facf5ce08b03aa6921ed9af5645d5466"
		n4 = "commento:88450b082ec4df2fdccd3a626c6e489b31ef8cbf151bd543acf6e8890ffa1f49"
		n5 = "commento:4a8456f10e37689778cef532ab6a73742a152d4481190ab31de5d6f3f32f329c"

		lakes = "https://notes.example.org/2022/04/plitvice/"
		krka  = "https://notes.example.org/2022/05/krka/" // the file's path lacks the leading slash
	)
	return []transfer.Item{
		&transfer.Thread{Key: "commento:url:" + lakes, URL: lakes},
		&transfer.Comment{Key: n1, ThreadKey: "commento:url:" + lakes,
			Author: "Vesna", Email: "vesna@example.hr", Website: "https://vesna.example.hr",
			Body:   "Plitvička jezera u travnju: manje ljudi, više vode. Preporuka!",
			Status: approved, CreatedAt: at("2022-04-03T10:00:00Z")},
		&transfer.Comment{Key: n2, ThreadKey: "commento:url:" + lakes, ParentKey: n1,
			Author: "Alex", Email: "alex@example.com", Official: true,
			Body:   "Thanks Vesna! Which entrance did you use?",
			Status: approved, CreatedAt: at("2022-04-03T11:30:00.5Z")},
		&transfer.Comment{Key: n3, ThreadKey: "commento:url:" + lakes, ParentKey: n2,
			Author: "Vesna", Email: "vesna@example.hr", Website: "https://vesna.example.hr",
			Body:   "Ulaz 2, kod hotela.",
			Status: approved, CreatedAt: at("2022-04-03T12:00:00Z")},
		&transfer.Comment{Key: n4, ThreadKey: "commento:url:" + lakes,
			Body:   "Is the boat running in April?",
			Status: pending, CreatedAt: at("2022-04-04T06:45:00Z")},
		&transfer.Thread{Key: "commento:url:" + krka, URL: krka},
		&transfer.Comment{Key: n5, ThreadKey: "commento:url:" + krka,
			Author: "Vesna", Email: "vesna@example.hr", Website: "https://vesna.example.hr",
			Body:   "Skradinski buk bez kupanja, nažalost.",
			Status: approved, CreatedAt: at("2022-05-10T09:00:00Z")},
	}
}

// commentoJSON is a comment on example.com with the given fields.
func commentoJSON(hex, fields string) string {
	return `{"commentHex":"` + hex + `","domain":"example.com","url":"/a/","commenterHex":"anonymous",` +
		`"markdown":"hi","parentHex":"root","creationDate":"2019-05-06T12:34:56Z"` + fields + `}`
}

func TestCommentoErrors(t *testing.T) {
	ok := commentoJSON("aa", "")
	tests := []struct{ name, in, where string }{
		{"empty file", "", "line 1"},
		{"an array", `[]`, "line 1"},
		{"unknown version", `{"version":2,"comments":[]}`, "line 1"},
		{"bad date, spooled", `{"version":1,"comments":[` + ok + ",\n" + ok + ",\n" +
			commentoJSON("bb", `,"creationDate":"last Tuesday"`) + `]}`, "line 3 (comment 3, commentHex bb)"},
		{"bad date, streamed", `{"commenters":[],"comments":[` + commentoJSON("cc", `,"creationDate":"2019-13-01T00:00:00Z"`) + `]}`,
			"line 1 (comment 1, commentHex cc)"},
		{"unknown state", "{\n\"commenters\": [],\n\"comments\": [\n" + commentoJSON("dd", `,"state":"shadowbanned"`) + "]}",
			"line 4 (comment 1, commentHex dd)"},
		{"no domain", `{"comments":[{"commentHex":"ee","creationDate":"2019-05-06T12:34:56Z"}]}`, "line 1 (comment 1, commentHex ee)"},
		{"comments not a list", `{"comments":{}}`, "line 1"},
		{"wrong type", `{"comments":[{"commentHex":5}]}`, "line 1 (comment 1)"},
		{"bad commenter", `{"commenters":[{"isModerator":"no"}]}`, "line 1 (commenter 1)"},
		{"cut in the comments", `{"version":1,"comments":[` + ok + `,{"commentHex":"ff","mark`, "line 1 (comment 2)"},
		{"cut in the commenters", `{"version":1,"comments":[` + ok + `],"commenters":[{"name":"Iv`, "line 1 (commenter 1)"},
		{"cut before the end", `{"version":1,"comments":[` + ok + `],"commenters":[]`, "line 1"},
		{"garbage after the end", `{"version":1,"comments":[]} {}`, "line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newCommento(strings.NewReader(tt.in), t.TempDir())
			_, err := readAll(t, r)
			var se *transfer.SourceError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a *transfer.SourceError", err)
			}
			if se.Where != tt.where {
				t.Errorf("Where = %q, want %q (%v)", se.Where, tt.where, err)
			}
			if r.spool != nil {
				t.Error("the spool is still open after the error")
			}
		})
	}
}

// TestCommentoSpool checks that the temporary file goes at the end, and
// on Close when the importer stops early.
func TestCommentoSpool(t *testing.T) {
	for _, stop := range []int{0, 3, -1} { // -1 reads to the end
		dir := t.TempDir()
		r := newCommento(strings.NewReader(string(file("commento.json")(t))), dir)
		for i := 0; stop < 0 || i < stop; i++ {
			if _, err := r.Next(); err != nil {
				break
			}
		}
		if stop > 0 && r.spool == nil {
			t.Fatalf("stop %d: no spool while reading", stop)
		}
		if err := r.Close(); err != nil {
			t.Fatalf("stop %d: Close: %v", stop, err)
		}
		if err := r.Close(); err != nil {
			t.Fatalf("stop %d: second Close: %v", stop, err)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 0 {
			t.Errorf("stop %d: %d files left in the temporary directory", stop, len(entries))
		}
	}
}
