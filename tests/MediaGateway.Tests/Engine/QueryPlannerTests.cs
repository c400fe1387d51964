using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Ontology;
using MediaGateway.Engine.Query;

namespace MediaGateway.Tests.Engine;

/// <summary>Each planner rule, with the near misses that must not trigger it.</summary>
public sealed class QueryPlannerTests
{
    private static CatalogItem Item(string id, string title, int year, string genre, string? director = null, string? source = null) =>
        new() { Id = id, Title = title, Year = year, Genres = [genre], Director = director, Source = source, EmbeddingText = title, ImdbVotes = 1000 };

    private static readonly InMemoryCatalogStore Catalog = new([
        Item("alien-1979", "Alien", 1979, "Horror", "Ridley Scott"),
        Item("gladiator-2000", "Gladiator", 2000, "Action", "Ridley Scott"),
        Item("jaws-1975", "Jaws", 1975, "Horror", "Steven Spielberg"),
        Item("amelie-2001", "Amélie", 2001, "Comedy", "Jean-Pierre Jeunet"),
        Item("the-thing-1982", "The Thing", 1982, "Horror", "John Carpenter", "Remake"),
        Item("chicago-2002", "Chicago", 2002, "Musical", "Rob Marshall", "Based on Play"),
        Item("in-bruges-2008", "In Bruges", 2008, "Black Comedy", "Martin McDonagh"),
        Item("halloween-2-2009", "Halloween 2", 2009, "Horror", "Rob Zombie"),
        Item("star-wars-1977", "Star Wars Ep. IV: A New Hope", 1977, "Adventure", "George Lucas"),
    ]);

    private static readonly ConceptGraph Graph = ConceptGraph.LoadEmbedded();
    private static readonly QueryPlanner Planner = new(Catalog, new CatalogIndex(Catalog), Graph, new ConceptLabels(Graph));

    private static PlannedQuery Plan(string query, int limit = 1) => Planner.Plan(new SearchRequest { Query = query, Limit = limit });

    private static string[] Hard(PlannedQuery p) => p.Constraints.Select(c => c.Constraint.Describe()).ToArray();
    private static string[] Soft(PlannedQuery p) => p.Preferences.Select(c => c.Constraint.Describe()).ToArray();

    [Theory]
    [InlineData("horror from the 80s", "year 1980–1989")]
    [InlineData("films from the '90s", "year 1990–1999")]
    [InlineData("1970s thrillers", "year 1970–1979")]
    [InlineData("late 90s comedies", "year 1996–1999")]
    [InlineData("early 2000s", "year 2000–2003")]
    [InlineData("films from the 20s", "year 1920–1929")]   // the test catalog reaches 2009: not a decade after it
    [InlineData("the 00s", "year 2000–2009")]
    [InlineData("late 30s", "year 1936–1939")]
    [InlineData("prior to 1985", "year ≤ 1984")]
    [InlineData("older than 1990", "year ≤ 1989")]
    [InlineData("after 2005", "year ≥ 2006")]
    [InlineData("since 2001", "year ≥ 2001")]
    [InlineData("between 1990 and 1995", "year 1990–1995")]
    [InlineData("released in 1994", "year = 1994")]
    [InlineData("2005 or later", "year ≥ 2005")]
    [InlineData("a thriller from the last decade", "year 2000–2010")]   // the test catalog reaches 2009; one year's slack
    [InlineData("comedies of the past 5 years", "year 2005–2010")]
    [InlineData("2005 thrillers", "year = 2005")]                 // a year before a word is when it was made
    [InlineData("a 1999 comedy", "year = 1999")]
    [InlineData("not a 1999 film", "not year = 1999")]
    public void Time_phrases_become_year_filters(string query, string expected) =>
        Assert.Contains(expected, Hard(Plan(query)));

    [Theory]
    [InlineData("under two hours", "runtimeMinutes ≤ 120 min")]
    [InlineData("less than 100 minutes", "runtimeMinutes ≤ 100 min")]
    [InlineData("longer than 2 and a half hours", "runtimeMinutes ≥ 150 min")]
    [InlineData("shorter than an hour and a half", "runtimeMinutes ≤ 90 min")]
    [InlineData("under two hours and a half", "runtimeMinutes ≤ 150 min")]
    [InlineData("a rating of at least seven", "imdbRating ≥ 7.0")]
    [InlineData("rated above eight", "imdbRating ≥ 8.1")]
    [InlineData("rated eight out of ten", "imdbRating ≥ 8.0")]
    [InlineData("rated above 8", "imdbRating ≥ 8.1")]
    [InlineData("rated 7.5 or higher", "imdbRating ≥ 7.5")]
    [InlineData("imdb rating below 5", "imdbRating ≤ 4.9")]   // ratings have one decimal: "below 5" is 4.9 or less, as shown
    [InlineData("dramas rated 6 or lower", "imdbRating ≤ 6.0")]
    [InlineData("comedies rated 5 or below", "imdbRating ≤ 5.0")]
    [InlineData("thrillers rated 7 and up", "imdbRating ≥ 7.0")]
    [InlineData("not rated above 8", "imdbRating ≤ 8.0")]
    [InlineData("not rated below 6", "imdbRating ≥ 6.0")]
    [InlineData("90% or less on rotten tomatoes", "rottenTomatoesRating ≤ 90%")]
    [InlineData("90 minutes or less", "runtimeMinutes ≤ 90 min")]
    [InlineData("two hours or more", "runtimeMinutes ≥ 120 min")]
    [InlineData("comedies not over two hours", "runtimeMinutes ≤ 120 min")]
    [InlineData("not longer than 90 minutes", "runtimeMinutes ≤ 90 min")]
    [InlineData("westerns not before 1990", "year ≥ 1990")]
    [InlineData("comedies rated 8 and over 2 hours", "imdbRating ≥ 8.0")]     // "and over" before a number starts the next comparison
    [InlineData("comedies rated 8 and over 2 hours", "runtimeMinutes ≥ 120 min")]
    [InlineData("nothing over two hours", "runtimeMinutes ≤ 120 min")]
    [InlineData("comedies that aren't over 90 minutes", "runtimeMinutes ≤ 90 min")]
    [InlineData("not 2 hours or more", "runtimeMinutes ≤ 120 min")]
    [InlineData("not rated 7+", "imdbRating ≤ 6.9")]
    [InlineData("not 90% or more on rotten tomatoes", "rottenTomatoesRating ≤ 90%")]
    [InlineData("not from the 80s", "not year 1980–1989")]
    [InlineData("horror, nothing from the 90s", "not year 1990–1999")]
    [InlineData("not in 1999", "not year = 1999")]
    [InlineData("not after 2000", "year ≤ 2000")]
    [InlineData("above 90% on rotten tomatoes", "rottenTomatoesRating ≥ 90%")]
    [InlineData("grossed more than $500 million", "worldwideGross ≥ $500 million")]
    [InlineData("budget under $5m", "productionBudget ≤ $5 million")]
    [InlineData("grossed over 1.2 billion", "worldwideGross ≥ $1.2 billion")]
    [InlineData("nothing longer than ninety minutes", "runtimeMinutes ≤ 90 min")]   // numbers in words, not the 90s
    [InlineData("under seventy-five minutes", "runtimeMinutes ≤ 75 min")]
    [InlineData("rotten tomatoes score over ninety", "rottenTomatoesRating ≥ 90%")]
    [InlineData("movies rated eight or above", "imdbRating ≥ 8.0")]
    [InlineData("horror from the 80s or 90s", "year 1980–1999")]                   // two decades: either, one range where they meet
    [InlineData("westerns from the 1950s and 1970s", "year 1950–1959 or year 1970–1979")]
    [InlineData("before 1960 or after 2005", "year ≤ 1959 or year ≥ 2006")]
    [InlineData("80s films after 1985", "year 1980–1989")]                         // ranges that overlap: both hold
    [InlineData("80s films after 1985", "year ≥ 1986")]
    public void Explicit_numbers_filter(string query, string expected) =>
        Assert.Contains(expected, Hard(Plan(query)));

    [Theory]
    [InlineData("a thriller that scored ten oscars")]
    [InlineData("films rated one of the best")]
    public void A_number_word_after_rated_is_a_rating_only_beside_a_comparison_or_out_of_ten(string query) =>
        Assert.DoesNotContain(Hard(Plan(query)), d => d.StartsWith("imdbRating"));

    [Theory]
    [InlineData("well reviewed dramas", "imdbRating ≥ 7.0")]
    [InlineData("loved by critics", "rottenTomatoesRating ≥ 80%")]
    [InlineData("poorly reviewed", "imdbRating ≤ 5.5")]
    [InlineData("worst rated comedies", "imdbRating ≤ 5.5")]   // "rated" is part of the phrase, not the MPAA's "Not Rated"
    [InlineData("best-rated westerns", "imdbRating ≥ 7.0")]
    [InlineData("expensive productions", "productionBudget ≥ $100 million")]
    [InlineData("cheaply made horror", "productionBudget ≤ $10 million")]
    [InlineData("a commercial success", "returnOnBudget ≥ 3.0× its budget")]
    [InlineData("money-makers", "returnOnBudget ≥ 3.0× its budget")]
    [InlineData("horror that made a lot of money", "returnOnBudget ≥ 3.0× its budget")]
    [InlineData("famous flops", "returnOnBudget ≤ 1.0× its budget")]
    [InlineData("short comedies", "runtimeMinutes ≤ 95 min")]
    [InlineData("long epics", "runtimeMinutes ≥ 140 min")]
    [InlineData("nearly three hours long", "runtimeMinutes 155 min–180 min")]
    [InlineData("something new", "year 2004–2010")]
    [InlineData("horror, not too long", "runtimeMinutes ≤ 140 min")]   // a negated amount boosts the other side of its bound
    [InlineData("nothing expensive", "productionBudget ≤ $100 million")]
    [InlineData("something not new", "year ≤ 2004")]
    public void Vague_words_only_boost(string query, string expected)
    {
        // No word of the phrase is left for the embedding to map ("rated" alone lands on the MPAA's "Not Rated").
        Assert.DoesNotContain(Plan(query).UnreadPhrases, p => p.Contains("rated"));
        var plan = Plan(query);
        Assert.Contains(expected, Soft(plan));
        Assert.DoesNotContain(expected, Hard(plan));
        Assert.Contains(plan.Interpretation, r => r.Effect == QueryEffect.Boost);
    }

    [Theory]
    [InlineData("the longest dramas", "runtimeMinutes", true)]
    [InlineData("the shortest comedies", "runtimeMinutes", false)]
    [InlineData("the oldest westerns", "year", false)]
    [InlineData("the most expensive flops", "productionBudget", true)]
    [InlineData("the highest grossing films", "worldwideGross", true)]
    public void A_superlative_orders_by_its_number_from_the_catalogs_outer_tenth(string query, string attribute, bool highest)
    {
        var catalog = new InMemoryCatalogStore(Enumerable.Range(0, 100).Select(i => new CatalogItem
        {
            Id = $"film-{i}", Title = $"Film {i}", EmbeddingText = "x", Year = 1950 + i / 2, RuntimeMinutes = 80 + i,
            Attributes = new Dictionary<string, AttributeValue>
            {
                [CatalogAttributes.ProductionBudget] = AttributeValue.OfNumber(1e6 * (i + 1)), [CatalogAttributes.WorldwideGross] = AttributeValue.OfNumber(2e6 * (i + 1)),
            },
        }).ToArray());
        var planner = new QueryPlanner(catalog, new CatalogIndex(catalog), Graph, new ConceptLabels(Graph));
        var order = planner.Plan(new SearchRequest { Query = query }).Preferences.Select(p => p.Constraint).OfType<RangeConstraint>().Single(r => r.Attribute.Name == attribute);
        var (outer, inner, edge) = highest ? (catalog[99], catalog[50], catalog[90]) : (catalog[0], catalog[50], catalog[10]);
        Assert.NotNull(order.Toward);
        Assert.True(order.Matches(edge) && !order.Matches(inner));          // the outer tenth, whatever the catalog's numbers
        Assert.True(order.Degree(outer) > order.Degree(edge));              // and the farther out, the better
    }

    [Theory]
    [InlineData("something my 8 year old can watch", "mpaaRating G/PG")]
    [InlineData("movies for a ten-year-old", "mpaaRating G/PG")]
    [InlineData("horror for 15 year olds", "mpaaRating G/PG/PG-13")]
    [InlineData("comedies for ages 13 and up", "mpaaRating G/PG/PG-13")]
    [InlineData("pg-13 or lower action films", "mpaaRating G/PG/PG-13")]   // the MPAA scale is an order
    [InlineData("at most pg comedies", "mpaaRating G/PG")]
    [InlineData("rated r or higher", "mpaaRating R/NC-17")]
    public void Who_is_watching_and_rating_bounds_filter_on_the_mpaa_scale(string query, string expected)
    {
        var plan = Plan(query);
        Assert.Contains(expected, Hard(plan));
        Assert.DoesNotContain(Hard(plan).Concat(Soft(plan)), d => d.StartsWith("year"));   // "old" is the viewer's age, not the film's
    }

    [Fact]
    public void A_child_viewer_ranks_films_made_for_children_first_and_an_adult_is_left_every_rating()
    {
        Assert.Contains(Plan("a film for my 8 year old").Preferences, p => p.Constraint is ConceptConstraint { Concept.Id: "audience/kids" });
        var adult = Plan("a thriller for my 30 year old brother");
        Assert.DoesNotContain(Hard(adult), d => d.StartsWith("mpaaRating") || d.StartsWith("year"));
        Assert.Contains(adult.Interpretation, r => r.Phrase == "30 year old" && r.Note is not null);
    }

    [Fact]
    public void Ninety_the_decade_is_not_ninety_minutes()
    {
        Assert.Equal(["year 1990–1999"], Hard(Plan("90s")));
        Assert.Equal(["runtimeMinutes ≤ 90 min"], Hard(Plan("under 90 minutes")));
        Assert.DoesNotContain(Hard(Plan("90 minutes")), d => d.StartsWith("year"));
    }

    [Fact]
    public void Rated_r_is_an_mpaa_rating_and_rated_8_is_a_score()
    {
        var r = Plan("rated r thrillers");
        Assert.Contains(r.Constraints, c => c.Constraint is ConceptConstraint { Concept.Id: "rating/r" });
        Assert.DoesNotContain(Hard(r), d => d.StartsWith("imdbRating"));
        var eight = Plan("rated 8 thrillers");
        Assert.Contains("imdbRating ≥ 8.0", Hard(eight));
        Assert.DoesNotContain(eight.Constraints, c => c.Constraint is ConceptConstraint { Concept.Scheme: "rating" });
    }

    [Fact]
    public void Alien_the_title_is_not_alien_the_concept()
    {
        var title = Plan("Alien");
        Assert.Empty(title.Constraints);
        Assert.Empty(title.Concepts);
        Assert.Contains("alien", title.ContentWords);
        var like = Plan("more like alien");
        Assert.Equal(0, like.ReferenceRow);
        Assert.Contains(like.Interpretation, r => r.Effect == QueryEffect.Reference && r.ReadAs == "like Alien (1979)");
        var invasion = Plan("an alien invasion film");
        Assert.Contains(invasion.Concepts, c => c.Concept.Id == "genre/alien-invasion");
        Assert.Null(invasion.ReferenceRow);
    }

    [Theory]
    [InlineData("if you liked the thing", "like The Thing (1982)")]
    [InlineData("for fans of in bruges", "like In Bruges (2008)")]
    [InlineData("something like in bruges set in the 70s", "like In Bruges (2008)")]   // the title's words, then the rest
    public void A_reference_is_any_way_of_saying_like_a_title(string query, string reading)
    {
        var plan = Plan(query);
        Assert.NotNull(plan.ReferenceRow);
        Assert.Contains(plan.Interpretation, r => r.Effect == QueryEffect.Reference && r.ReadAs == reading);
    }

    [Fact]
    public void A_reference_leaves_the_words_after_its_title_to_the_other_rules() =>
        Assert.Contains("year 1970–1979", Hard(Plan("something like in bruges set in the 70s")));

    [Fact]
    public void Words_that_begin_a_title_are_title_words_not_concepts()
    {
        var plan = Plan("star wars");
        Assert.Empty(plan.Concepts); // "wars" is not the war genre here
        Assert.Equal(["star", "wars"], plan.ContentWords);
        Assert.Contains(Plan("war films").Concepts, c => c.Concept.Id == "genre/war");
    }

    [Fact]
    public void Concepts_by_label_filter_through_the_graph_and_moods_only_boost()
    {
        var dark = Plan("a darkly comic film");
        var concept = Assert.Single(dark.Concepts);
        Assert.Equal("genre/black-comedy", concept.Concept.Id);
        Assert.Contains(dark.Constraints, c => c.Constraint is ConceptConstraint { Concept.Id: "genre/black-comedy" });

        var musical = Plan("movies with singing and dancing");
        Assert.Equal("genre/musical", Assert.Single(musical.Concepts).Concept.Id);
        Assert.Contains(Plan("films that began in the theatre").Concepts, c => c.Concept.Id == "source/play");

        var bleak = Plan("something bleak");
        Assert.Contains(bleak.Concepts, c => c.Concept.Id == "mood/dark");
        Assert.Empty(bleak.Constraints);
    }

    [Fact]
    public void Older_or_newer_beside_a_reference_is_relative_to_its_year()
    {
        Assert.Contains("year ≤ 1978", Hard(Plan("something like alien but older")));
        Assert.Contains("year ≥ 1976", Hard(Plan("more like jaws but more recent")));
        Assert.Contains("year ≥ 1976", Hard(Plan("like jaws, only newer")));
        // Without a reference, or not a comparative, age stays a vague boost.
        Assert.DoesNotContain(Hard(Plan("older horror")), d => d.StartsWith("year"));
        Assert.DoesNotContain(Hard(Plan("like jaws but old")), d => d.StartsWith("year"));
        // Part of a phrase, or negated: not a comparison with the reference.
        Assert.DoesNotContain(Hard(Plan("something like alien but for older kids")), d => d.StartsWith("year"));
        Assert.DoesNotContain(Hard(Plan("like alien but for an older audience")), d => d.StartsWith("year"));
        Assert.DoesNotContain(Hard(Plan("like jaws but not newer")), d => d.StartsWith("year"));
    }

    [Fact]
    public void A_genre_just_above_a_sub_genre_stands_for_it_but_not_one_two_steps_up()
    {
        // Slasher → Horror: every slasher is a horror film, so "slasher" filters by Horror.
        Assert.Contains(Plan("slasher films").Constraints, c => c.Constraint is ConceptConstraint { Concept.Id: "genre/slasher" });
        // Heist film → Crime → Drama/Thriller: a heist film can be a comedy, so neither filters nor explains by them.
        var heist = Plan("heist movies");
        Assert.Empty(heist.Constraints);
        Assert.DoesNotContain(heist.Preferences, p => p.Constraint is ConceptConstraint);
        Assert.Contains(heist.Interpretation, r => r.Phrase == "heist" && r.Effect == QueryEffect.Boost);
    }

    [Fact]
    public void Audiences_map_to_ratings_and_creative_types()
    {
        var kids = Plan("for little ones");
        Assert.Contains(kids.Concepts, c => c.Concept.Id == "audience/kids");
        Assert.Single(kids.Constraints);
        Assert.Contains(Plan("for grown-ups").Concepts, c => c.Concept.Id == "audience/adults");
        Assert.Contains(Plan("mature audiences").Concepts, c => c.Concept.Id == "audience/adults");
    }

    [Fact]
    public void Directors_match_by_full_name_accent_free_or_by_surname_after_by()
    {
        Assert.Contains("director Ridley Scott", Hard(Plan("ridley scott films")));
        // The director boosts too, so a director filter relaxed for too few matches still ranks the director's films first.
        Assert.Contains("director Ridley Scott", Soft(Plan("ridley scott films")));
        Assert.Contains("director Steven Spielberg", Hard(Plan("something by spielberg")));
        Assert.Contains("director Jean-Pierre Jeunet", Hard(Plan("jean pierre jeunet")));
        Assert.Contains("director Steven Spielberg", Hard(Plan("spielberg's films")));
        // A surname alone, without "by" or a possessive, is just a word (a near miss: "scott" could be anyone).
        Assert.Empty(Plan("carpenter").Constraints);
        Assert.DoesNotContain(Plan("zombie movies").Constraints, c => c.Constraint is FacetConstraint);
    }

    [Fact]
    public void Exclusions_read_a_negation_and_a_concept()
    {
        var p = Plan("thrillers but not horror");
        Assert.Contains(p.Interpretation, r => r.Effect == QueryEffect.Exclude && r.ReadAs == "not Horror");
        Assert.Contains(p.Constraints, c => c.Constraint is NotConstraint { Inner: ConceptConstraint { Concept.Id: "genre/horror" } });
        Assert.Contains(Plan("comedies without musicals").Exclusions, c => c is NotConstraint { Inner: ConceptConstraint { Concept.Id: "genre/musical" } });
        Assert.Contains(Plan("no remakes").Exclusions, c => c is NotConstraint { Inner: ConceptConstraint { Concept.Id: "source/remake" } });
        // Near miss: a query opening with "no" and words no rule reads is taken for a title, not an exclusion.
        Assert.Empty(Plan("no country for old men").Exclusions);
    }

    [Theory]
    [InlineData("not a comedy", "genre/comedy")]
    [InlineData("anything but horror", "genre/horror")]
    [InlineData("everything but musicals", "genre/musical")]
    [InlineData("dramas other than remakes", "source/remake")]
    [InlineData("comedies that aren't romantic", "genre/romance")]
    [InlineData("comedies that aren’t romantic", "genre/romance")]
    [InlineData("a film that isn't too scary", "genre/horror")]
    public void Exclusions_read_other_negations_and_skip_an_article(string query, string excluded)
    {
        var plan = Plan(query);
        Assert.Contains(plan.Exclusions, c => c is NotConstraint { Inner: ConceptConstraint { Concept.Id: var id } } && id == excluded);
        Assert.DoesNotContain(plan.Constraints, c => c.Constraint is ConceptConstraint { Concept.Id: var id } && id == excluded);
    }

    [Fact]
    public void A_negated_director_is_excluded_and_near_misses_are_not()
    {
        string[] Excluded(string query) => Plan(query).Exclusions.OfType<NotConstraint>().Select(c => c.Inner).OfType<FacetConstraint>()
            .SelectMany(f => f.Values).Select(v => v.Value).ToArray();
        Assert.Equal(["Steven Spielberg"], Excluded("horror but not by spielberg"));
        Assert.Equal(["Ridley Scott"], Excluded("not directed by ridley scott"));
        Assert.Equal(["Ridley Scott"], Excluded("anything but ridley scott"));
        Assert.DoesNotContain(Plan("horror but not by spielberg").Constraints, c => c.Constraint is FacetConstraint);
        // A surname without "by" is not read as a director ("not carpenter"), and "anything" without "but" negates nothing.
        Assert.Empty(Excluded("not carpenter"));
        Assert.Empty(Plan("anything horror").Exclusions);
        Assert.Empty(Plan("other horror").Exclusions);
    }

    [Fact]
    public void A_turned_comparison_reads_its_not_and_no_second_reading_contradicts_it()
    {
        var plan = Plan("not rated above 8");
        Assert.Equal(["imdbRating ≤ 8.0"], Hard(plan));   // not the MPAA's "Not Rated"
        Assert.Equal("not rated above 8", Assert.Single(plan.Interpretation).Phrase);
        Assert.DoesNotContain("runtimeMinutes ≥ 140 min", Soft(Plan("no more than 100 minutes long")));
        Assert.Equal(["runtimeMinutes ≤ 100 min"], Hard(Plan("no more than 100 minutes long")));
    }

    [Theory]
    [InlineData("horror but not zombies", "zombies")]            // a sub-genre no catalog value stands for
    [InlineData("horror except zombie films", "zombie")]
    [InlineData("sci-fi without aliens", "aliens")]
    [InlineData("war movies but not vietnam", "vietnam")]        // a theme's label
    [InlineData("dramas without subtitles", "subtitles")]        // words no rule reads
    [InlineData("thrillers, no gore", "gore")]
    [InlineData("sci-fi that doesn't have aliens", "aliens")]   // a verb between the negation and what it denies
    [InlineData("an animated movie that isn't a disney film", "disney")]
    [InlineData("animated movies not from disney", "disney")]
    public void What_the_catalog_has_no_value_for_is_excluded_by_the_words_its_text_names_never_filtered_for(string query, string words)
    {
        var plan = Plan(query);
        Assert.Contains(plan.Exclusions, c => c is NotConstraint { Inner: MentionConstraint m } && m.Phrases.SequenceEqual([words]));
        Assert.Contains(plan.Interpretation, r => r.Effect == QueryEffect.Exclude && r.ReadAs == $"not \"{words}\" (in the title, description or distributor)");
        Assert.DoesNotContain(plan.Concepts, c => c.Phrase.Contains(words));
        Assert.DoesNotContain(words, plan.EmbedText);
    }

    [Fact]
    public void A_mention_is_a_whole_word_of_the_title_or_description_in_any_case_and_number()
    {
        CatalogItem With(string title, string? description = null) => new() { Id = title, Title = title, Description = description, EmbeddingText = title };
        var aliens = new MentionConstraint(["aliens"], "aliens");
        Assert.True(aliens.Matches(With("Alien")));
        Assert.True(aliens.Matches(With("ALIENS")));
        Assert.True(aliens.Matches(With("Mars Attacks!", "Little green aliens invade.")));
        Assert.False(aliens.Matches(With("Alienated")));
        var twoWords = new MentionConstraint(["living dead"], "living dead");
        Assert.True(twoWords.Matches(With("Night of the Living Dead")));
        Assert.False(twoWords.Matches(With("The Dead and the Living")));
    }

    [Fact]
    public void A_reference_to_no_catalog_title_is_said_and_a_like_that_other_rules_read_is_not()
    {
        var reading = Assert.Single(Plan("more like blarghfoo").Interpretation);
        Assert.Equal(("more like blarghfoo", "no catalog title", QueryEffect.Reference), (reading.Phrase, reading.ReadAs, reading.Effect));
        Assert.Contains("blarghfoo", reading.Note);
        Assert.Null(Plan("more like blarghfoo").ReferenceRow);
        Assert.DoesNotContain(Plan("something like a heist movie").Interpretation, r => r.ReadAs == "no catalog title");
        Assert.DoesNotContain(Plan("films i would like to watch").Interpretation, r => r.ReadAs == "no catalog title");
        Assert.DoesNotContain(Plan("i'd like a movie about grief").Interpretation, r => r.ReadAs == "no catalog title");   // a wish
        Assert.DoesNotContain(Plan("we would like blarghfoo").Interpretation, r => r.ReadAs == "no catalog title");
        Assert.DoesNotContain(Plan("more like alien").Interpretation, r => r.ReadAs == "no catalog title");
    }

    [Theory]
    [InlineData("horror, not too much violence")]   // fillers and amounts are never excluded as words
    [InlineData("action, not much romance")]        // another rule read the clause: the negation was its
    [InlineData("scary but not too")]
    [InlineData("comedies not over")]
    [InlineData("comedy, not dark")]                // a mood: no text names it (not The Dark Knight)
    public void No_word_exclusion_for_fillers_amounts_moods_or_a_clause_another_rule_read(string query) =>
        Assert.DoesNotContain(Plan(query).Exclusions, c => c is NotConstraint { Inner: MentionConstraint });

    [Fact]
    public void A_negated_mood_is_said_and_kept_out_of_the_text_search_but_excludes_nothing()
    {
        var plan = Plan("comedy, not dark");
        Assert.Contains(plan.Interpretation, r => r is { Phrase: "not dark", ReadAs: "not Dark", Effect: QueryEffect.Exclude } && r.Note!.Contains("nothing is excluded"));
        Assert.DoesNotContain(plan.Preferences, p => p.Phrase.Contains("dark"));
        Assert.DoesNotContain("dark", plan.EmbedText);
    }

    [Fact]
    public void A_label_keeps_its_inner_words_when_its_text_is_excluded() =>
        Assert.Contains(Plan("dramas but not coming of age").Exclusions, c => c is NotConstraint { Inner: MentionConstraint m } && m.Phrases.SequenceEqual(["coming of age"]));

    [Theory]
    [InlineData("a film by none other than steven spielberg")]
    [InlineData("nothing other than horror")]
    [InlineData("anything, but horror would be best")]
    [InlineData("not only horror")]
    [InlineData("no country for old men")]
    [InlineData("don't miss these westerns")]
    [InlineData("no way out")]   // a query opening with "no" and unread words is taken for a title
    [InlineData("horror, not too long")]
    public void Phrases_that_only_look_negated_exclude_nothing(string query) =>
        Assert.Empty(Plan(query).Exclusions);

    [Fact]
    public void New_counts_back_from_the_year_most_of_the_catalog_has_reached_not_from_a_few_outliers()
    {
        var items = Enumerable.Range(0, 200).Select(i => Item($"film-{i}", $"Film {i}", 1990 + i % 20, "Drama"))
            .Append(Item("ben-hur", "Ben-Hur", 2025, "Drama")).ToArray();   // a silent film dated a century late
        Assert.Equal(2009, QueryPlanner.RecentYear(items));
        Assert.Equal(2009, QueryPlanner.RecentYear(items.Take(200)));
    }

    [Fact]
    public void Words_read_as_numbers_or_exclusions_are_not_embedded()
    {
        // "under two hours" embedded pulls "The Hours" forward; "not horror" embedded pulls toward horror.
        Assert.Equal("comedies", Plan("comedies under 90 minutes").EmbedText);
        Assert.Equal("thrillers but", Plan("thrillers but not horror").EmbedText);
        Assert.Equal("horror", Plan("horror rated above 7").EmbedText);
        // The reference stays in the text (its item's vector is added too), and a query with nothing structural is embedded as sent.
        Assert.Equal("more like alien, but for kids", Plan("more like alien, but for kids").EmbedText);
        Assert.Equal("A Darkly Comic Film", Plan("A Darkly Comic Film").EmbedText);
    }

    [Theory]
    [InlineData("drama under ٩ hours")]
    [InlineData("rated above ٨")]
    [InlineData("from ١٩٨٠ to ۱۹۹۰")]
    [InlineData("grossed more than $99999999999999999999 million")]
    [InlineData("under 99999999999999 minutes")]
    [InlineData("between 2010 and 1990")]
    [InlineData("rated 99")]
    [InlineData("\u0000\uffff 80s \ud800")]
    public void Hostile_numbers_never_throw_and_non_ascii_digits_are_not_numbers(string query)
    {
        var plan = Plan(query);
        Assert.DoesNotContain(plan.Constraints, c => c.Constraint is RangeConstraint { Attribute.Name: "runtimeMinutes" or "imdbRating" or "worldwideGross" } r && (r.Min > 1e12 || r.Max > 1e12));
        Planner.Admit(plan);
    }

    [Fact]
    public void A_repeated_phrase_is_read_once_and_the_plan_is_bounded()
    {
        var plan = Plan(string.Concat(Enumerable.Repeat("80s ", 128)), limit: 100);
        Assert.Single(plan.Constraints);
        Assert.Single(plan.Interpretation);

        var everything = Plan(string.Join(' ', Graph.Concepts.SelectMany(c => c.Labels).Take(400)));
        Assert.True(everything.Concepts.Count <= QueryPlanner.MaxConcepts);
        Assert.True(everything.Constraints.Count <= QueryPlanner.MaxConstraints);
        Assert.True(everything.Preferences.Count <= QueryPlanner.MaxPreferences);
        Assert.True(everything.UnreadPhrases.Count <= QueryPlanner.MaxPhrases);
    }

    [Theory]
    [InlineData("2001 a space odyssey")]          // a year before an article starts a title
    [InlineData("grossed over 2000 million")]     // a year before a unit is an amount
    [InlineData("1990 to 1995")]                  // a range, read as one
    public void A_number_that_only_looks_like_a_year_before_a_word_is_not_one_year(string query) =>
        Assert.DoesNotContain(Hard(Plan(query)), c => c.StartsWith("year = ", StringComparison.Ordinal));

    [Fact]
    public void A_year_that_is_a_whole_title_is_left_to_the_title()
    {
        var catalog = new InMemoryCatalogStore([Item("2012-2009", "2012", 2009, "Action"), Item("up-2012", "Up", 2012, "Adventure")]);
        var planner = new QueryPlanner(catalog, new CatalogIndex(catalog), Graph, new ConceptLabels(Graph));
        Assert.Empty(planner.Plan(new SearchRequest { Query = "2012 movies" }).Constraints);
    }

    [Fact]
    public void One_word_shared_with_a_title_is_a_title_only_as_the_whole_title_or_when_the_query_is_only_words()
    {
        var catalog = new InMemoryCatalogStore([
            Item("boys-1999", "Boys Don't Cry", 1999, "Drama"),
            Item("terminator-1984", "The Terminator", 1984, "Action"),
            Item("terminator-2-1991", "Terminator 2", 1991, "Action"),
            Item("jaws-1975", "Jaws", 1975, "Horror"),
            Item("jaws-2-1978", "Jaws 2", 1978, "Horror"),
            Item("good-night-2007", "The Good Night", 2007, "Romantic Comedy"),
        ]);
        var planner = new QueryPlanner(catalog, new CatalogIndex(catalog), Graph, new ConceptLabels(Graph));
        var enricher = new Enricher(catalog);
        bool TitleMatched(string query, string id) =>
            catalog.TryGetRow(id, out var row) && enricher.Enrich(planner.Plan(new SearchRequest { Query = query }), catalog[row]).MatchedFields.Contains("title");

        Assert.False(TitleMatched("sad movies that make you cry", "boys-1999"));   // "sad" was read: "cry" is a word of the request
        Assert.True(TitleMatched("terminator movies", "terminator-2-1991"));       // nothing else read: the word is the request
        Assert.True(TitleMatched("scary jaws", "jaws-1975"));                      // the whole title
        Assert.False(TitleMatched("scary jaws", "jaws-2-1978"));
        Assert.True(TitleMatched("jaws 2 scary", "jaws-2-1978"));                  // two words shared
        Assert.True(TitleMatched("jaws ii scary", "jaws-2-1978"));                 // a sequel's number in any spelling
        Assert.True(TitleMatched("scary jaws two", "jaws-2-1978"));
        Assert.True(TitleMatched("the second jaws", "jaws-2-1978"));
        Assert.False(TitleMatched("something romantic for date night", "good-night-2007")); // "good" is the title's word, not grammar
    }

    [Fact]
    public void A_word_exclusion_says_when_no_item_names_the_words()
    {
        Assert.Contains(Plan("dramas without subtitles").Interpretation, r => r.Effect == QueryEffect.Exclude && r.Note == "no title, description or distributor names it: nothing is left out");
        Assert.Contains(Plan("comedies without bruges").Interpretation, r => r.Effect == QueryEffect.Exclude && r.Note is null);
    }

    [Fact]
    public void A_mention_may_be_the_distributor_but_never_spans_two_fields()
    {
        static CatalogItem With(string title, string distributor) => new()
        {
            Id = title, Title = title, EmbeddingText = title,
            Attributes = new Dictionary<string, AttributeValue> { [CatalogAttributes.Distributor] = AttributeValue.OfCategory(distributor) },
        };
        Assert.True(new MentionConstraint(["disney"], "disney").Matches(With("The Lion King", "Walt Disney Pictures")));
        Assert.False(new MentionConstraint(["king walt"], "king walt").Matches(With("The Lion King", "Walt Disney Pictures")));
    }

    [Theory]
    [InlineData("a creepy horror movie that isn't too long", "runtimeMinutes ≤ 140 min")]   // not the title *Isn't She Great*
    [InlineData("comedies that aren't super long", "runtimeMinutes ≤ 140 min")]
    public void A_negation_is_never_the_start_of_a_title(string query, string expected)
    {
        var plan = Plan(query);
        Assert.Contains(expected, Soft(plan));
        Assert.DoesNotContain(plan.Interpretation, r => r.ReadAs == "title words");
    }

    [Fact]
    public void A_preposition_takes_its_object_so_not_based_on_a_true_story_leaves_out_only_true_stories()
    {
        var plan = Plan("dramas not based on a true story");
        Assert.Contains(plan.Interpretation, r => r.Effect == QueryEffect.Exclude && r.ReadAs == "not Based on Real Life Events");
        Assert.DoesNotContain(plan.Interpretation, r => r.ReadAs == "not Adaptation");
    }

    [Fact]
    public void A_superlative_ranks_by_rating_where_a_plain_bound_only_admits()
    {
        CatalogItem Rated(string id, double rating) => new() { Id = id, Title = id, EmbeddingText = id, ImdbRating = rating };
        var enricher = new Enricher(Catalog);
        float Match(string query, double rating) => enricher.Enrich(Plan(query), Rated("x", rating)).OntologyMatch;

        Assert.True(Match("the best westerns", 9.2) > Match("the best westerns", 7.3));
        Assert.True(Match("the best westerns", 7.0) > Match("the best westerns", 6.9));
        Assert.True(Match("the worst comedies", 2.0) > Match("the worst comedies", 5.0));
        Assert.Equal(Match("well reviewed westerns", 9.2), Match("well reviewed westerns", 7.3));
    }

    [Fact]
    public void A_concept_standing_in_through_parents_in_two_fields_counts_fully_only_for_items_with_both()
    {
        CatalogItem Film(string genre, string? type) => new() { Id = genre + type, Title = "x", EmbeddingText = "x", Genres = [genre], CreativeType = type };
        ConceptConstraint StandIn(string id) =>
            new(Graph.Find(id)!, Graph.Expand(id).Where(e => e.Relation != ConceptRelation.Broader || e.Path.Count == 2).ToArray(), ConceptConstraint.Any);

        var spaceOpera = StandIn("genre/space-opera");   // genre Adventure, creative type Science Fiction
        var both = spaceOpera.Degree(Film("Adventure", "Science Fiction"));
        Assert.True(both > spaceOpera.Degree(Film("Adventure", "Contemporary Fiction")));
        Assert.True(both > spaceOpera.Degree(Film("Drama", "Science Fiction")));
        Assert.Equal(0, spaceOpera.Degree(Film("Drama", "Contemporary Fiction")));
        var war = StandIn("genre/war");                   // genre Drama or Action: a film has one genre, either is whole
        Assert.Equal(war.Degree(Film("Drama", null)), war.Degree(Film("Action", null)));
        Assert.Equal(Graph.Expand("genre/war").First(e => e.Relation == ConceptRelation.Broader).Weight, war.Degree(Film("Action", null)), 6);
    }

    [Fact]
    public void Reasons_per_hit_are_capped()
    {
        var plan = Plan("horror 1970s rated above 1 alien jaws thing gladiator chicago bruges");
        var reasons = new Enricher(Catalog).Enrich(plan with
        {
            Preferences = Enumerable.Range(0, 40).Select(i => new Preference(new RangeConstraint(NumericAttribute.Year, 1900 + i, null), $"p{i}", 1)).ToArray(),
        }, Catalog[0]).Reasons;
        Assert.True(reasons.Count <= Enricher.MaxReasons);
    }

    [Fact]
    public void Too_few_matches_relax_numbers_to_admit_unknowns_then_concepts_to_boosts()
    {
        // Nothing in the catalog knows its runtime: the runtime filter keeps unknowns, and says so.
        var (plan, rows) = Planner.Admit(Plan("horror under two hours", limit: 2));
        Assert.Equal(4, rows!.Count());
        Assert.Contains(plan.Interpretation, r => r.Phrase == "under two hours" && r.Note is not null);
        // Horror and musical together match nothing: the concepts rank instead of filtering.
        var (both, bothRows) = Planner.Admit(Plan("horror musical", limit: 2));
        Assert.Null(bothRows);
        Assert.All(both.Interpretation, r => Assert.Equal(QueryEffect.Boost, r.Effect));
    }

    [Fact]
    public void Only_the_number_that_runs_short_admits_unknowns()
    {
        // No runtime is known, every year is: the runtime admits unknowns, the decade keeps its years.
        var (plan, rows) = Planner.Admit(Plan("horror from the 70s under two hours", limit: 2));
        Assert.Equal(["alien-1979", "jaws-1975"], Enumerable.Range(0, Catalog.Count).Where(rows!.Contains).Select(r => Catalog[r].Id).Order().ToArray());
        Assert.Contains(plan.Interpretation, r => r.Phrase == "under two hours" && r.Note is not null);
        Assert.Contains(plan.Interpretation, r => r.Phrase == "70s" && r.Note is null);
    }

    [Fact]
    public void A_concept_no_item_has_says_so_when_it_stops_filtering()
    {
        var (plan, _) = Planner.Admit(Plan("a miniseries", limit: 2));
        Assert.Contains(plan.Interpretation, r => r.Note == "no catalog item has it; its words steer the text search only");
    }
}
