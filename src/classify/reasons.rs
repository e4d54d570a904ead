//! Which of the model's terms may be shown to a person as the reason for a tag: a content word
//! or a phrase with one, never a function word, a greeting or a character n-gram, and only
//! when it pushed the score by more than `REASON_FLOOR`. In the seed corpus "hi", "since" or
//! "says" correlate with labels because of how tickets were written; they weigh in the score
//! but are no evidence a product manager would accept.

/// English function words (articles, pronouns, prepositions, conjunctions, auxiliaries, light
/// verbs, fillers), greetings, sign-offs and support filler, separated by spaces: never a reason
/// on their own, and a phrase made only of them is none either.
pub const FUNCTION_WORDS: &str = "\
    a an the i me my mine myself we us our ours you your yours he him his she her hers it its they them their theirs this \
    that these those there here who whom whose which what whatever some any each every all both either neither other \
    another such same own one ones someone something anything everything everyone nothing anyone anybody somebody and or \
    but nor so yet if then than because as since until while when whenever where wherever why how of in on at to for with \
    without from by about into onto over under above below between through during before after again against among around \
    behind beside besides beyond within upon via per across along off out up down though although whether unless whereas is \
    am are was were be been being do does did doing done have has had having will would shall should can could may might \
    must im ive id ill youre weve theyre thats theres says said say saying get gets got getting go goes going went gone \
    make makes made know knows think thinks want wants see seems seem let lets use uses used using tell told tried try \
    trying like just very really too also still now already even only much many more most less few lot lots quite rather \
    somehow anyway actually basically literally ever yes ok okay well oh ah um please pls plz time times today yesterday \
    day days week thing things way app s t d ll re ve m hi hello hey hiya howdy dear greetings morning afternoon evening \
    good thanks thank thx ty cheers regards best kind sincerely team support folks guys advance appreciate appreciated \
    urgent asap advise update help hope wrote sent iphone";

/// Weight (its share of the log-odds: weight × TF-IDF value) a term must add to a head's score
/// to be shown as a reason; below it the term barely moved the decision.
pub const REASON_FLOOR: f32 = 0.05;

/// Whether `word` (lower case, apostrophes dropped, as the tokenizer writes it) is on the list.
pub fn is_function_word(word: &str) -> bool {
    FUNCTION_WORDS.split(' ').any(|w| w == word)
}

/// Whether a vocabulary term may be shown as a reason: a whole word or a word pair (not a
/// `~` character n-gram) with at least one word that is not a function word; a negated word
/// (`not_load`) by the word it negates.
pub fn explainable(term: &str) -> bool {
    !term.starts_with('~') && term.split(' ').map(|w| w.strip_prefix("not_").unwrap_or(w)).any(|w| !is_function_word(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_words_and_phrases_explain_and_function_words_do_not() {
        for term in ["slow", "checkout", "takes forever", "crashes", "not_load", "is slow", "500 error"] {
            assert!(explainable(term), "{term}");
        }
        for term in ["hey", "hi", "says", "since", "before", "about", "hi team", "thanks in", "is it", "~slow", "not_since", "this is"] {
            assert!(!explainable(term), "{term}");
        }
    }
}
