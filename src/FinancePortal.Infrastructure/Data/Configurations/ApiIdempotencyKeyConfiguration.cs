using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FinancePortal.Infrastructure.Data.Configurations;

internal sealed class ApiIdempotencyKeyConfiguration : IEntityTypeConfiguration<ApiIdempotencyKey>
{
    public const int MaxKey = 200;

    public void Configure(EntityTypeBuilder<ApiIdempotencyKey> b)
    {
        b.ToTable("ApiIdempotencyKeys");
        b.Property(k => k.Caller).HasMaxLength(300).IsRequired();
        b.Property(k => k.Key).HasMaxLength(MaxKey).IsRequired();
        b.Property(k => k.Operation).HasMaxLength(300).IsRequired();
        b.Property(k => k.Location).HasMaxLength(300);
        b.HasIndex(k => new { k.Caller, k.Key }).IsUnique();
        b.HasIndex(k => k.CreatedUtc);
    }
}
