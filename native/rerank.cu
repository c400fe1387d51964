/*
 * Re-ranks candidates with the ranking formula (mg_scoring.h, the same arithmetic as C#
 * Ranking/Scoring.cs). One thread per candidate: the work is tiny; what matters is that the GPU
 * and the CPU rank with one formula.
 */
#include "mg_scoring.h"

extern "C" __global__ void __launch_bounds__(256)
mg_rerank(const mg_rerank_params p)
{
    int i = (int)(mg_block() * mg_threads() + mg_thread());
    if (i >= p.count) return;
    mg_rerank_candidate c = ((const mg_rerank_candidate*)p.candidates)[i];
    float quality = mg_quality_prior(c.imdb_rating, c.imdb_votes);
    ((float*)p.out_scores)[i] = mg_combine(p.weights, c.similarity, c.ontology_match, quality, c.personalization);
}
