using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using PLaw.Registry;

#nullable disable

namespace PLaw.Registry.Migrations;

/// <summary>The model as of the newest migration; EF compares it with the code's model to detect unmigrated changes.</summary>
[DbContext(typeof(RegistryDbContext))]
partial class RegistryDbContextModelSnapshot : ModelSnapshot
{
    protected override void BuildModel(ModelBuilder modelBuilder)
    {
        modelBuilder.HasAnnotation("ProductVersion", "9.0.22");

        modelBuilder.Entity("PLaw.Registry.Datasets.DatasetRecord", b =>
        {
            b.Property<int>("Id").ValueGeneratedOnAdd().HasColumnType("INTEGER");
            b.Property<string>("Checksum").IsRequired().HasMaxLength(64).HasColumnType("TEXT");
            b.Property<DateTime>("CreatedUtc").HasColumnType("TEXT");
            b.Property<string>("Format").IsRequired().HasMaxLength(40).HasColumnType("TEXT");
            b.Property<long>("Interactions").HasColumnType("INTEGER");
            b.Property<int>("Items").HasColumnType("INTEGER");
            b.Property<string>("Name").IsRequired().HasMaxLength(200).HasColumnType("TEXT");
            b.Property<string>("OptionsJson").IsRequired().HasColumnType("TEXT");
            b.Property<string>("Source").IsRequired().HasMaxLength(1000).HasColumnType("TEXT");
            b.Property<string>("StatisticsJson").IsRequired().HasColumnType("TEXT");
            b.Property<int>("Users").HasColumnType("INTEGER");
            b.HasKey("Id");
            b.HasIndex("Name").IsUnique();
            b.ToTable("Datasets");
        });

        modelBuilder.Entity("PLaw.Registry.Datasets.DatasetSequences", b =>
        {
            b.Property<int>("DatasetId").HasColumnType("INTEGER");
            b.Property<byte[]>("Data").IsRequired().HasColumnType("BLOB");
            b.HasKey("DatasetId");
            b.ToTable("DatasetSequences");
        });

        modelBuilder.Entity("PLaw.Registry.Entropy.EntropyReportRecord", b =>
        {
            b.Property<int>("Id").ValueGeneratedOnAdd().HasColumnType("INTEGER");
            b.Property<double>("ComputeMilliseconds").HasColumnType("REAL");
            b.Property<DateTime>("CreatedUtc").HasColumnType("TEXT");
            b.Property<int>("DatasetId").HasColumnType("INTEGER");
            b.Property<int>("M").HasColumnType("INTEGER");
            b.Property<int>("MaxLen").HasColumnType("INTEGER");
            b.Property<int>("R").HasColumnType("INTEGER");
            b.Property<string>("RowJson").IsRequired().HasColumnType("TEXT");
            b.Property<string>("Variant").IsRequired().HasMaxLength(40).HasColumnType("TEXT");
            b.HasKey("Id");
            b.HasIndex("DatasetId", "MaxLen", "M", "R", "Variant").IsUnique();
            b.ToTable("EntropyReports");
        });

        modelBuilder.Entity("PLaw.Registry.Datasets.DatasetSequences", b =>
        {
            b.HasOne("PLaw.Registry.Datasets.DatasetRecord", null)
                .WithOne("Sequences")
                .HasForeignKey("PLaw.Registry.Datasets.DatasetSequences", "DatasetId")
                .OnDelete(DeleteBehavior.Cascade)
                .IsRequired();
        });

        modelBuilder.Entity("PLaw.Registry.Entropy.EntropyReportRecord", b =>
        {
            b.HasOne("PLaw.Registry.Datasets.DatasetRecord", null)
                .WithMany("EntropyReports")
                .HasForeignKey("DatasetId")
                .OnDelete(DeleteBehavior.Cascade)
                .IsRequired();
        });

        modelBuilder.Entity("PLaw.Registry.Datasets.DatasetRecord", b =>
        {
            b.Navigation("EntropyReports");
            b.Navigation("Sequences");
        });
    }
}
