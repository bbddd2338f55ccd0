package spam

import "testing"

// Innocent blog comments written for these tests, in the languages Parley's
// sites use. The training data is English YouTube comments, so almost every
// word here is unknown to the model: the test is that unknown is not spam.
var hamComments = map[string][]string{
	"el": {
		"Πολύ ωραίο άρθρο, ευχαριστώ που το μοιράστηκες! Θα δοκιμάσω τη συνταγή αυτό το Σαββατοκύριακο.",
		"Συμφωνώ απόλυτα με όσα γράφεις για τα μέσα μαζικής μεταφοράς στην Αθήνα. Το μετρό είναι πάντα γεμάτο το πρωί.",
		"Έχω μια απορία: η ρύθμιση αυτή λειτουργεί και σε παλαιότερες εκδόσεις του Linux ή μόνο στις καινούργιες;",
		"Εξαιρετική ανάλυση! Θα ήθελα να διαβάσω περισσότερα για την ιστορία της Θεσσαλονίκης.",
		"Δεν είμαι σίγουρος ότι έχεις δίκιο. Τα στοιχεία της ΕΛΣΤΑΤ δείχνουν κάτι διαφορετικό για την ανεργία των νέων.",
		"Ευχαριστώ για τις φωτογραφίες από τη Νάξο, μου θύμισαν τις διακοπές μας πέρσι το καλοκαίρι.",
		"Η μητέρα μου έφτιαχνε ακριβώς έτσι τον μουσακά, αλλά έβαζε και λίγο μοσχοκάρυδο στη μπεσαμέλ.",
		"Καλή συνέχεια στη δουλειά σου! Περιμένω με ανυπομονησία το επόμενο μέρος της σειράς.",
		"Μπορείς να ανεβάσεις και τον κώδικα σε κάποιο αποθετήριο; Θα βοηθούσε πολύ όσους μαθαίνουν τώρα Go.",
		"Διάβασα το βιβλίο που προτείνεις και μου άρεσε πολύ, ειδικά το τελευταίο κεφάλαιο.",
		"Στο χωριό μου στην Κρήτη λέμε αυτή τη λέξη λίγο διαφορετικά, αλλά η σημασία είναι ίδια.",
		"Είδα το βίντεο που ανέβασες στο κανάλι σου στο YouTube και ήταν πολύ κατατοπιστικό.",
		"ΣΥΓΧΑΡΗΤΗΡΙΑ ΓΙΑ ΤΗΝ ΕΠΙΤΥΧΙΑ ΣΑΣ! Το αξίζετε.",
		"Το δάνειο για το σπίτι μας πήρε τρεις μήνες να εγκριθεί, οπότε καταλαβαίνω απόλυτα την ταλαιπωρία σου.",
	},
	"pl": {
		"Świetny artykuł, dzięki! Właśnie tego szukałem przed wyjazdem do Krakowa.",
		"Mam pytanie: czy ta metoda działa też na starszych wersjach Postgresa?",
		"Zgadzam się w stu procentach. Komunikacja miejska w Warszawie naprawdę się poprawiła.",
		"Przepis wyszedł mi idealnie, tylko dodałam trochę więcej cynamonu. Cała rodzina zachwycona!",
		"Nie do końca rozumiem, dlaczego autor pomija kwestię kosztów. To chyba najważniejsze dla większości czytelników.",
		"Dziękuję za tak szczegółowe wyjaśnienie, w końcu to zrozumiałam.",
		"Byłem tam w zeszłym roku i potwierdzam, widoki z Kasprowego są niesamowite.",
		"Czekam na kolejną część! Ten blog to jedno z niewielu miejsc, gdzie można przeczytać coś mądrego.",
		"Moja babcia robiła pierogi dokładnie w ten sposób, z dużą ilością cebulki.",
		"Czy mógłbyś dodać źródło tych danych? Chętnie przeczytam cały raport.",
		"To jest naprawdę dobry tekst, ale w drugim akapicie jest literówka.",
		"Oglądałem twój kanał na YouTube i ten wpis świetnie go uzupełnia.",
		"Kredyt hipoteczny spłacamy od pięciu lat i niestety rata wciąż rośnie.",
		"Sprawdziłem mój kod jeszcze raz i rzeczywiście, brakowało jednego przecinka.",
	},
	"hr": {
		"Odličan članak, hvala što ste ovo podijelili! Baš sam se pitao kako to funkcionira.",
		"Slažem se s vama, promet u Zagrebu je svake godine sve gori.",
		"Imam pitanje: radi li ovo i na starijim verzijama Androida?",
		"Probala sam recept i ispao je savršeno, samo sam stavila malo manje šećera.",
		"Ljeto na Hvaru je predivno, ali gužve u kolovozu su stvarno prevelike.",
		"Hvala na detaljnom objašnjenju, napokon razumijem razliku između ta dva pristupa.",
		"Ne mislim da je autor u pravu, podaci Državnog zavoda za statistiku pokazuju nešto drugo.",
		"Moja baka je radila sarmu na isti način, s malo dimljenog mesa.",
		"Jedva čekam sljedeći nastavak! Ovo je jedan od rijetkih blogova koje redovito čitam.",
		"Super tekst, ali mislim da ste zaboravili spomenuti cijene trajekata.",
		"On je to rekao na konferenciji prošle godine, sjećam se jer sam bio u publici.",
		"Gledao sam vaš video na YouTubeu i ovaj tekst ga lijepo nadopunjuje.",
		"Sreća me prati ovih dana, konačno sam dobio posao koji sam htio.",
		"Novac iz europskih fondova trebao bi ići u obnovu škola, a ne u nove urede.",
	},
	"en": {
		"Great write-up, thanks! I had the same problem with the config and your fix worked.",
		"I disagree with the second point. The benchmark numbers look different on ARM machines.",
		"My grandmother made this exact recipe every Christmas. Brought back memories!",
		"Could you explain why you chose SQLite over Postgres here? Genuinely curious.",
	},
	"de": {
		"Toller Artikel, vielen Dank! Genau das habe ich für meine Abschlussarbeit gesucht.",
		"Ich sehe das etwas anders: Die Zahlen vom Statistischen Bundesamt zeigen einen anderen Trend.",
	},
	"fr": {
		"Merci pour cet article très clair, j'ai enfin compris la différence entre les deux approches.",
		"Je ne suis pas d'accord avec la conclusion, mais l'analyse est intéressante.",
	},
	"es": {
		"¡Muy buen artículo! Lo compartí con mis compañeros de trabajo.",
		"No estoy de acuerdo con todo, pero me hizo pensar. Gracias por escribirlo.",
	},
}

// Spam written for these tests: self-promotion, easy money and loans, in the
// same languages, mostly without any English.
var spamComments = map[string][]string{
	"el": {
		"Κάντε εγγραφή στο κανάλι μου για καθημερινά βίντεο!!! http://bit.ly/3xYz12",
		"Βγάλτε λεφτά από το σπίτι, 500 ευρώ την ημέρα! Πάρτε τηλέφωνο στο +30 691 234 5678",
		"Ακολουθήστε με στο Instagram για δώρα και διαγωνισμούς!!! www.example-gr.com",
	},
	"pl": {
		"Zasubskrybuj mój kanał, codziennie nowe filmiki! www.youtube.com/c/przyklad",
		"Szybka pożyczka bez BIK, zadzwoń +48 600 700 800",
		"Zapraszam na mój kanał, tam znajdziesz wszystko o grach!",
	},
	"hr": {
		"Pretplatite se na moj kanal, svaki dan novi video! youtube.com/c/primjer",
		"Brza zarada od kuće, 100 eura dnevno!!! Javite se na zarada@example.com",
		"Posjetite moju stranicu za najbolje popuste: cutt.ly/popust",
	},
	"de": {"Abonniert meinen Kanal für tägliche Videos! https://goo.gl/abcde"},
	"fr": {"Abonnez-vous à ma chaîne, nouvelles vidéos chaque jour ! bit.ly/ma-chaine"},
	"es": {"¡Suscríbete a mi canal! Gana dinero desde casa: www.ganar-dinero.es"},
}

func TestMultilingualHam(t *testing.T) {
	c := New()
	for lang, list := range hamComments {
		for _, body := range list {
			v := c.Check(Input{Body: body, Author: "Ana"})
			if v.Spam {
				t.Errorf("%s ham flagged (score %.2f, %v): %s", lang, v.Score, v.Reasons, body)
			}
		}
	}
}

func TestMultilingualSpam(t *testing.T) {
	c := New()
	for lang, list := range spamComments {
		for _, body := range list {
			v := c.Check(Input{Body: body, Author: "Ana"})
			if !v.Spam {
				t.Errorf("%s spam missed (score %.2f, %v): %s", lang, v.Score, v.Reasons, body)
			}
		}
	}
}
