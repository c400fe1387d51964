/*
 * The ranking formula, written once for the GPU re-ranking kernel and for host code. It must stay
 * the same arithmetic as C# MediaGateway.Engine.Ranking.Scoring (QualityPrior and Combine); the test
 * ScoringCrossCheckTests compiles this header with g++ and compares it with the C# on random inputs.
 *
 * Exactness notes:
 *   - Combine sums left to right, ((s + o) + q) + p, like the C# expression.
 *   - On the device every multiply and add is an explicitly rounded PTX instruction (mul.rn/add.rn),
 *     which the compiler may not fuse into FMA, so the device rounds each step like the CPU does.
 *     Host builds must pass -ffp-contract=off for the same reason.
 *   - log10f differs between libm and CUDA by at most a couple of ulp; that is the only difference.
 */
#ifndef MG_SCORING_H
#define MG_SCORING_H

#include "mg_types.h"

#if defined(__CUDACC__) || defined(__CUDACC_RTC__) || defined(__CUDA__)
#include "mg_cuda_compat.h"
#define MG_HD static __host__ __device__ __forceinline__
#else
#include <math.h>
#define MG_HD static inline
#endif

#if defined(__CUDA_ARCH__)
MG_HD float mg_mul(float a, float b) { float r; asm("mul.rn.f32 %0, %1, %2;" : "=f"(r) : "f"(a), "f"(b)); return r; }
MG_HD float mg_add(float a, float b) { float r; asm("add.rn.f32 %0, %1, %2;" : "=f"(r) : "f"(a), "f"(b)); return r; }
MG_HD float mg_div(float a, float b) { float r; asm("div.rn.f32 %0, %1, %2;" : "=f"(r) : "f"(a), "f"(b)); return r; }
#if defined(MG_CLANG_NOCUDAINC)
MG_HD float mg_log10(float x) { return __nv_log10f(x); }
#else
MG_HD float mg_log10(float x) { return log10f(x); }
#endif
#else
MG_HD float mg_mul(float a, float b) { return a * b; }
MG_HD float mg_add(float a, float b) { return a + b; }
MG_HD float mg_div(float a, float b) { return a / b; }
MG_HD float mg_log10(float x) { return log10f(x); }
#endif

/* MathF.Min for the inputs we see (no NaN reaches it: QualityPrior returns early on NaN). */
MG_HD float mg_min(float a, float b) { return a < b ? a : b; }

/* IMDB rating scaled to 0-1 and discounted when few people voted (full weight at 100,000 votes). */
MG_HD float mg_quality_prior(float imdb_rating, float imdb_votes)
{
    /* !(x > 0) is also true for NaN, exactly like the C# guard. */
    if (!(imdb_rating > 0.0f) || !(imdb_votes > 0.0f)) return 0.0f;
    float confidence = mg_min(1.0f, mg_div(mg_log10(mg_add(1.0f, imdb_votes)), 5.0f));
    return mg_mul(mg_div(mg_min(imdb_rating, 10.0f), 10.0f), confidence);
}

MG_HD float mg_combine(mg_scoring_weights w, float similarity, float ontology_match, float quality_prior, float personalization)
{
    float s = mg_mul(w.similarity, similarity);
    s = mg_add(s, mg_mul(w.ontology_match, ontology_match));
    s = mg_add(s, mg_mul(w.quality_prior, quality_prior));
    return mg_add(s, mg_mul(w.personalization, personalization));
}

#endif /* MG_SCORING_H */
