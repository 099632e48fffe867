package boxoffice.es;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.charfilter.HTMLStripCharFilter;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.core.LetterTokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.TrimFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.AnalyzerScope;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;

import java.io.Reader;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import java.util.function.UnaryOperator;

/**
 * The analysis components registered by {@link BoxofficeEsPlugin}: a subset of what the official
 * analysis-common module provides, with the same type names, parameter names and defaults.
 */
final class AnalysisComponents {

    private AnalysisComponents() {}

    // ---------------------------------------------------------------- token filters

    static Map<String, AnalysisProvider<TokenFilterFactory>> tokenFilters() {
        Map<String, AnalysisProvider<TokenFilterFactory>> filters = new TreeMap<>();
        filters.put("asciifolding", (index, env, name, s) -> {
            boolean preserveOriginal = s.getAsBoolean("preserve_original", false);
            return normalizing(name, ts -> new ASCIIFoldingFilter(ts, preserveOriginal), ts -> new ASCIIFoldingFilter(ts, false));
        });
        filters.put("trim", (index, env, name, s) -> normalizing(name, TrimFilter::new, TrimFilter::new));
        filters.put("edge_ngram", (index, env, name, s) -> {
            int min = s.getAsInt("min_gram", 1);
            int max = s.getAsInt("max_gram", 2);
            boolean preserveOriginal = s.getAsBoolean("preserve_original", false);
            String side = s.get("side", "front");
            if ("front".equals(side) == false) {
                throw new IllegalArgumentException("[edge_ngram] side [" + side + "] is not supported on this dev node");
            }
            return filter(name, ts -> new EdgeNGramTokenFilter(ts, min, max, preserveOriginal));
        });
        filters.put("ngram", (index, env, name, s) -> {
            int min = s.getAsInt("min_gram", 1);
            int max = s.getAsInt("max_gram", 2);
            checkNgramDiff(index, min, max);
            boolean preserveOriginal = s.getAsBoolean("preserve_original", false);
            return filter(name, ts -> new NGramTokenFilter(ts, min, max, preserveOriginal));
        });
        filters.put("porter_stem", (index, env, name, s) -> filter(name, PorterStemFilter::new));
        filters.put("kstem", (index, env, name, s) -> filter(name, KStemFilter::new));
        filters.put("stemmer", (index, env, name, s) -> {
            String language = s.get("language", s.get("name", "english")).toLowerCase(Locale.ROOT);
            UnaryOperator<TokenStream> stem = switch (language) {
                case "english", "porter" -> PorterStemFilter::new;
                case "light_english", "kstem" -> KStemFilter::new;
                case "minimal_english" -> EnglishMinimalStemFilter::new;
                case "possessive_english" -> EnglishPossessiveFilter::new;
                default -> throw new IllegalArgumentException(
                    "[stemmer] language [" + language + "] is not available on this dev node (English stemmers only)"
                );
            };
            return filter(name, stem);
        });
        return filters;
    }

    private static TokenFilterFactory filter(String name, UnaryOperator<TokenStream> create) {
        return new TokenFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public TokenStream create(TokenStream tokenStream) {
                return create.apply(tokenStream);
            }
        };
    }

    /** A filter that may also run in normalizers and on multi-term queries (wildcard, prefix, fuzzy). */
    private static TokenFilterFactory normalizing(String name, UnaryOperator<TokenStream> create, UnaryOperator<TokenStream> normalize) {
        return new NormalizingTokenFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public TokenStream create(TokenStream tokenStream) {
                return create.apply(tokenStream);
            }

            @Override
            public TokenStream normalize(TokenStream tokenStream) {
                return normalize.apply(tokenStream);
            }
        };
    }

    private static void checkNgramDiff(IndexSettings index, int min, int max) {
        int allowed = index.getMaxNgramDiff();
        if (max - min > allowed) {
            throw new IllegalArgumentException(
                "max_gram - min_gram is ["
                    + (max - min)
                    + "] but may be at most ["
                    + allowed
                    + "]; raise the ["
                    + IndexSettings.MAX_NGRAM_DIFF_SETTING.getKey()
                    + "] index setting"
            );
        }
    }

    // ---------------------------------------------------------------- tokenizers

    static Map<String, AnalysisProvider<TokenizerFactory>> tokenizers() {
        Map<String, AnalysisProvider<TokenizerFactory>> tokenizers = new TreeMap<>();
        tokenizers.put("whitespace", (index, env, name, s) -> {
            int maxTokenLength = s.getAsInt("max_token_length", 255);
            return TokenizerFactory.newFactory(name, () -> new WhitespaceTokenizer(maxTokenLength));
        });
        tokenizers.put("keyword", (index, env, name, s) -> {
            int bufferSize = s.getAsInt("buffer_size", 256);
            return TokenizerFactory.newFactory(name, () -> new KeywordTokenizer(bufferSize));
        });
        tokenizers.put("letter", (index, env, name, s) -> TokenizerFactory.newFactory(name, LetterTokenizer::new));
        tokenizers.put("edge_ngram", (index, env, name, s) -> {
            int min = s.getAsInt("min_gram", 1);
            int max = s.getAsInt("max_gram", 2);
            IntPredicate tokenChar = tokenChars(s);
            return TokenizerFactory.newFactory(name, () -> new EdgeNGramTokenizer(min, max) {
                @Override
                protected boolean isTokenChar(int chr) {
                    return tokenChar.test(chr);
                }
            });
        });
        tokenizers.put("ngram", (index, env, name, s) -> {
            int min = s.getAsInt("min_gram", 1);
            int max = s.getAsInt("max_gram", 2);
            checkNgramDiff(index, min, max);
            IntPredicate tokenChar = tokenChars(s);
            return TokenizerFactory.newFactory(name, () -> new NGramTokenizer(min, max) {
                @Override
                protected boolean isTokenChar(int chr) {
                    return tokenChar.test(chr);
                }
            });
        });
        return tokenizers;
    }

    /** token_chars: letter, digit, whitespace, punctuation, symbol, custom (+ custom_token_chars). Empty keeps every char. */
    private static IntPredicate tokenChars(Settings s) {
        List<String> classes = s.getAsList("token_chars");
        if (classes.isEmpty()) {
            return chr -> true;
        }
        IntPredicate result = chr -> false;
        for (String cls : classes) {
            IntPredicate one = switch (cls.toLowerCase(Locale.ROOT)) {
                case "letter" -> Character::isLetter;
                case "digit" -> Character::isDigit;
                case "whitespace" -> Character::isWhitespace;
                case "punctuation" -> AnalysisComponents::isPunctuation;
                case "symbol" -> AnalysisComponents::isSymbol;
                case "custom" -> {
                    String custom = s.get("custom_token_chars", "");
                    Set<Integer> chars = new HashSet<>();
                    custom.codePoints().forEach(chars::add);
                    yield chars::contains;
                }
                default -> throw new IllegalArgumentException("unknown token_chars class [" + cls + "]");
            };
            result = result.or(one);
        }
        return result;
    }

    private static boolean isPunctuation(int chr) {
        return switch (Character.getType(chr)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    private static boolean isSymbol(int chr) {
        return switch (Character.getType(chr)) {
            case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    // ---------------------------------------------------------------- char filters

    static Map<String, AnalysisProvider<CharFilterFactory>> charFilters() {
        Map<String, AnalysisProvider<CharFilterFactory>> charFilters = new TreeMap<>();
        charFilters.put("html_strip", (index, env, name, s) -> {
            Set<String> escapedTags = Set.copyOf(s.getAsList("escaped_tags"));
            return new CharFilterFactory() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public Reader create(Reader reader) {
                    return new HTMLStripCharFilter(reader, escapedTags);
                }
            };
        });
        return charFilters;
    }

    // ---------------------------------------------------------------- analyzers

    static Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> analyzers() {
        Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> analyzers = new TreeMap<>();
        analyzers.put("english", AnalysisComponents::english);
        return analyzers;
    }

    private static AnalyzerProvider<? extends Analyzer> english(IndexSettings index, Environment env, String name, Settings s) {
        CharArraySet stopwords = Analysis.parseStopWords(env, s, EnglishAnalyzer.getDefaultStopSet());
        CharArraySet stemExclusion = Analysis.parseStemExclusion(s, CharArraySet.EMPTY_SET);
        EnglishAnalyzer analyzer = new EnglishAnalyzer(stopwords, stemExclusion);
        return new AnalyzerProvider<EnglishAnalyzer>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public AnalyzerScope scope() {
                return AnalyzerScope.INDEX;
            }

            @Override
            public EnglishAnalyzer get() {
                return analyzer;
            }
        };
    }
}
