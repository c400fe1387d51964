using MediaGateway.Engine.Ontology;

namespace MediaGateway.Engine.Query;

/// <summary>
/// The concept label nearest a phrase in meaning, with its cosine (<see cref="ConceptLabels.Nearest"/>). The planner
/// keeps it when it reaches <see cref="QueryPlanner.PhraseSimilarityThreshold"/> (<see cref="QueryPlanner.MatchPhrases"/>):
/// found once per phrase, then used both to fetch the concepts' expansions for the whole batch and to add them to
/// the phrase's plan.
/// </summary>
public sealed record PhraseMatch(Concept Concept, string Label, float Similarity);
