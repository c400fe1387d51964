using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Ontology;

namespace MediaGateway.Engine.Query;

public sealed partial class QueryPlanner
{
    /// <summary>
    /// The discovery endpoints' inputs, read into the same plan a search makes. Similar items: the item is the
    /// reference (its stored vector is the query) and is excluded. Recommendations: liked and disliked items
    /// feed the query vector and the ranking's personalisation term and are excluded (the caller has seen them);
    /// preferred concepts become soft preferences. An id or concept the catalog does not have is recorded in
    /// <see cref="PlannedQuery.Unknown"/> and nothing is searched.
    /// </summary>
    private void Discovery(DiscoveryRequest? discovery, PlanBuilder plan)
    {
        if (discovery?.Kind is not (DiscoveryKinds.Similar or DiscoveryKinds.Recommend)) return;
        plan.TextIsNotTheQuery = true;
        if (discovery.Kind == DiscoveryKinds.Similar)
        {
            if (!_catalog.TryGetRow(discovery.ItemId ?? "", out var row))
            {
                plan.Unknown.Add(new UnknownReference("id", discovery.ItemId ?? ""));
                return;
            }
            var item = _catalog[row];
            plan.ReferenceRow = row;
            plan.Filter(new NotConstraint(new RowConstraint(item.Id, item.Title)), discovery.ItemId!, ConstraintOrigin.Exclusion, reading: false);
            plan.Read(new Reading(item.Id, $"like {Display(row)}", QueryEffect.Reference));
            return;
        }

        Rows(discovery.Liked, "liked", plan.LikedRows, plan);
        Rows(discovery.Disliked, "disliked", plan.DislikedRows, plan);
        var concepts = new List<Concept>();
        foreach (var name in discovery.Concepts ?? [])
        {
            var concept = _ontology.Find(name) ?? _labels.ByLabel(QueryText.Words(name)).FirstOrDefault();
            if (concept is null) plan.Unknown.Add(new UnknownReference("concepts", name));
            else if (!concepts.Contains(concept)) concepts.Add(concept);
        }
        if (plan.Unknown.Count > 0) return;

        foreach (var row in plan.LikedRows) plan.Read(new Reading(_catalog[row].Id, $"liked: {Display(row)}", QueryEffect.Reference));
        foreach (var row in plan.DislikedRows) plan.Read(new Reading(_catalog[row].Id, $"disliked: {Display(row)}", QueryEffect.Reference, "items like it rank lower"));
        var seen = plan.LikedRows.Concat(plan.DislikedRows).Select(r => _catalog[r].Id).ToHashSet(StringComparer.Ordinal);
        if (seen.Count > 0)
            plan.Filter(new NotConstraint(new RowConstraint(seen, "the items liked or disliked")), "liked, disliked", ConstraintOrigin.Exclusion, reading: false);
        foreach (var concept in concepts)
        {
            if (plan.Concepts.Count < MaxConcepts) plan.Concepts.Add(new ConceptMatch(concept.PrefLabel, concept, 1.0, ByLabel: true));
            var constraint = new ConceptConstraint(concept, Expand(concept), ConceptConstraint.Any);
            if (constraint.NamesAnything) plan.Prefer(new Preference(constraint, concept.PrefLabel, 1.0), $"concept {concept.PrefLabel}");
            else plan.Read(new Reading(concept.PrefLabel, $"concept {concept.PrefLabel}", QueryEffect.Boost, "names no catalog value: it steers the query vector only"));
        }
        // The concepts' labels are embedded and join the liked items in the query vector (SearchEngine.DiscoveryVector).
        if (concepts.Count > 0) plan.EmbedText = string.Join(", ", concepts.Select(c => c.PrefLabel));
    }

    private void Rows(IReadOnlyList<string>? ids, string field, List<int> rows, PlanBuilder plan)
    {
        foreach (var id in ids ?? [])
        {
            if (_catalog.TryGetRow(id, out var row)) rows.Add(row);
            else plan.Unknown.Add(new UnknownReference(field, id));
        }
    }

    private string Display(int row) => _catalog[row] is var item && item.Year is { } y ? $"{item.Title} ({y})" : _catalog[row].Title;
}
