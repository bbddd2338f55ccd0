// Package spam scores a comment for spam on the server itself, with no outside
// service. A score is a logistic model over two kinds of evidence:
//
//   - rules that do not depend on the language: links and link shorteners, bare
//     domains, self-promotion and money phrases (in English, Greek, Polish,
//     Croatian, German, French and Spanish), shouting, character and emoji runs,
//     phone numbers and email addresses in the body, a link with almost no text,
//     and an author or website field that is an advert;
//   - weights for single words, learned from labelled comments.
//
// Both kinds are trained together by Train; the program in internal/train runs
// it over testdata to write the shipped model.txt (see Train for the command). Word weights are regularised
// much harder than rule weights, so the rules, which also fire on languages
// the training data lacks, carry most of the decision and a comment made only
// of unknown words scores near the model's bias, well below the threshold.
//
// The package imports the standard library only.
package spam
