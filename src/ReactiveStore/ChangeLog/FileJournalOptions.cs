namespace ReactiveStore;

/// <summary>Options of a <see cref="FileJournal"/>.</summary>
public sealed record FileJournalOptions
{
    /// <summary>Gets the default options: <see cref="FileJournalDurability.FsyncEachAppend"/>.</summary>
    public static FileJournalOptions Default { get; } = new();

    /// <summary>Gets how durable each append is when it returns (default <see cref="FileJournalDurability.FsyncEachAppend"/>).</summary>
    public FileJournalDurability Durability
    {
        get;
        init
        {
            if (!Enum.IsDefined(value))
            {
                throw new ArgumentOutOfRangeException(nameof(Durability), value, "FileJournalOptions.Durability must be FsyncEachAppend or Flush.");
            }

            field = value;
        }
    } = FileJournalDurability.FsyncEachAppend;
}
