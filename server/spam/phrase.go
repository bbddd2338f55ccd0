package spam

import "strings"

// phraseSet matches phrases on word boundaries in folded text. A phrase is
// written folded (lowercase, no accents); a trailing "*" lets its last word
// have any ending, for the inflected languages ("subskrybuj*" matches
// "subskrybujcie").
type phraseSet struct {
	exact  []string // " w1 w2 ", matched with both boundaries
	prefix []string // " w1 w2", matched with the left boundary only
}

func newPhraseSet(phrases ...[]string) phraseSet {
	var ps phraseSet
	for _, list := range phrases {
		for _, p := range list {
			star := strings.HasSuffix(p, "*")
			p = " " + strings.Join(words(fold(strings.TrimSuffix(p, "*"))), " ")
			if star {
				ps.prefix = append(ps.prefix, p)
			} else {
				ps.exact = append(ps.exact, p+" ")
			}
		}
	}
	return ps
}

// count returns how many of the phrases occur in padded, which is the folded
// words joined by single spaces with a space at each end.
func (ps phraseSet) count(padded string) int {
	n := 0
	for _, p := range ps.exact {
		if strings.Contains(padded, p) {
			n++
		}
	}
	for _, p := range ps.prefix {
		if strings.Contains(padded, p) {
			n++
		}
	}
	return n
}

// promoPhrases ask readers to go somewhere else or to follow someone: the
// heart of comment spam. Each language lists first-person forms ("my channel",
// "subscribe to me"), so a reader talking about the author's channel is not
// caught, and multi-word phrases where a single word would also be innocent.
func promoPhrases() [][]string {
	return [][]string{
		{ // English
			"subscribe to my*", "subscribe to me", "subscribe to our*", "please subscribe", "subscribe please",
			"sub to my*", "sub to me", "sub4sub", "sub 4 sub", "sub for sub", "check out my*", "check my channel*",
			"check my video*", "check my page", "check out our*", "checkout my*", "visit my*", "my channel*",
			"my youtube*", "my new video*", "my videos", "my latest video*", "my shop", "my store",
			"follow me", "add me on", "like my page", "like this comment",
			"like my comment", "thumbs up so", "give me a chance", "watch my video*", "watch my channel",
			"view my profile", "listen to my song*", "listen to my music", "listen to my track*",
		},
		{ // Greek
			"εγγραφειτε στο*", "κανετε εγγραφη", "κανε εγγραφη", "κανε subscribe", "κανετε subscribe",
			"το καναλι μου", "στο καναλι μου", "το καναλι μασ", "το νεο μου βιντεο", "ακολουθηστε με",
			"ακολουθησε με", "ακολουθηστε μασ", "δειτε το καναλι*", "κανε like στη σελιδα*",
			"κανετε like στη σελιδα*",
		},
		{ // Polish
			"subskrybuj*", "zasubskrybuj*", "sub za sub", "moj kanal", "moim kanale", "mojego kanalu",
			"zapraszam na moj*", "zapraszam na kanal", "zapraszam do subskrypcji", "obserwuj mnie",
			"obserwujcie mnie", "sprawdz moj kanal", "sprawdzcie moj kanal", "zajrzyj na moj*",
			"zajrzyjcie na moj*", "wejdz na moj*", "wejdzcie na moj*", "odwiedz moj*", "odwiedzcie moj*",
			"moj sklep",
		},
		{ // Croatian
			"pretplatite se", "pretplati se", "moj kanal", "mom kanalu", "mog kanala", "moj youtube*",
			"pogledajte moj kanal", "pogledaj moj kanal", "pogledajte moj video", "pogledajte moje video*",
			"zapratite me", "zaprati me", "pratite me", "posjetite moj*", "posjeti moj*", "moj novi video",
			"lajkajte moj*",
		},
		{ // German
			"abonniert mich", "abonniere mich", "abonniert meinen*", "abonniere meinen*", "mein kanal",
			"meinen kanal", "meinem kanal", "folgt mir", "folge mir", "schaut euch mein*", "schau dir mein*",
			"besucht mein*", "besuche mein*", "mein neues video", "meinen shop",
		},
		{ // French
			"abonnez vous", "abonne toi", "abonnes toi", "ma chaine", "suivez moi", "allez voir ma*",
			"allez voir mon*", "venez voir ma*", "venez voir mon*", "regardez ma chaine", "ma nouvelle video",
			"mes videos", "ma boutique",
		},
		{ // Spanish
			"suscribete*", "suscribanse", "suscribirse a mi*", "mi canal", "sigueme", "siganme",
			"visita mi*", "visiten mi*", "mira mi canal", "miren mi canal", "mi nuevo video", "mis videos",
			"mi tienda",
		},
	}
}

// moneyPhrases are about easy money, crypto, loans, gambling and pills. They are
// phrases rather than words like "money" or "loan", which innocent comments on
// news or finance posts use all the time.
func moneyPhrases() [][]string {
	return [][]string{
		{ // English
			"make money", "making money", "earn money", "earn cash", "free money", "extra cash", "easy money",
			"money online", "bitcoin address", "send bitcoin*", "donate bitcoin*", "btc address",
			"crypto investment*", "crypto trading", "forex", "casino*", "viagra", "cialis", "online pharmacy",
			"weight loss", "payday loan*", "fast loan*", "cash loan*", "work from home", "gift card*",
			"paypal", "lottery", "giveaway", "cash prize", "get paid", "passive income", "extra income",
		},
		{ // Greek
			"κερδιστε χρηματα", "κερδισε χρηματα", "βγαλε λεφτα", "βγαλτε λεφτα", "ευκολα λεφτα",
			"ευκολο κερδοσ", "γρηγορο δανειο", "δανειο χωρισ*", "καζινο", "βιαγκρα", "ευρω την ημερα",
			"δουλεια απο το σπιτι",
		},
		{ // Polish
			"zarabiaj online", "zarabiaj w domu", "zarob online", "latwe pieniadze", "szybkie pieniadze",
			"szybka pozyczk*", "pozyczka bez*", "kredyt bez*", "kasyno", "kasyna", "zl dziennie",
			"praca w domu",
		},
		{ // Croatian
			"zaradite*", "zaradi novac", "brza zarada", "laka zarada", "zarada od kuce", "zarada online",
			"brzi kredit*", "kredit bez*", "kasino", "eura dnevno", "kuna dnevno", "rad od kuce",
		},
		{ // German
			"geld verdienen", "verdienen sie", "schnelles geld", "online casino", "kredit ohne*",
			"euro am tag", "von zuhause arbeiten", "gewinnspiel",
		},
		{ // French
			"gagner de l argent", "gagnez de l argent", "argent facile", "credit rapide", "credit sans*",
			"casino en ligne", "euros par jour", "travail a domicile",
		},
		{ // Spanish
			"ganar dinero", "gana dinero", "dinero facil", "prestamo rapido", "prestamos sin*",
			"casino online", "euros al dia", "dolares al dia", "trabajo desde casa",
		},
	}
}

// shorteners are link-shortening hosts: they hide where a link goes.
func shorteners() []string {
	return []string{
		"bit.ly", "bitly.com", "goo.gl", "tinyurl.com", "adf.ly", "t.co", "ow.ly", "is.gd", "v.gd",
		"buff.ly", "cutt.ly", "rebrand.ly", "shorturl.at", "tiny.cc", "rb.gy", "lnkd.in", "shorte.st",
		"bc.vc", "adfoc.us", "ouo.io", "x.co", "s.id", "t.ly", "qr.net", "1url.com", "tr.im", "j.mp",
	}
}

// adWords in an author name mark it as an advert rather than a person.
func adWords() []string {
	return []string{
		"cheap", "buy", "seo", "discount", "sale", "free", "best price", "online", "replica", "download",
		"promo", "deal*", "marketing", "followers", "likes", "views", "subscribers",
	}
}
