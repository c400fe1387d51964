using MediaGateway.Engine.Ontology;

namespace MediaGateway.Engine.Query;

/// <summary>
/// An unread phrase's nearest concept label by meaning, close enough to count
/// (<see cref="QueryPlanner.PhraseSimilarityThreshold"/>): found once per phrase, then used both to fetch the
/// concepts' expansions for the whole batch and to add them to the phrase's plan.
/// </summary>
public sealed record PhraseMatch(Concept Concept, string Label, float Similarity);
