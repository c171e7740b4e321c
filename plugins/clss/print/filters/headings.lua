-- Headings never skip a level (PDF/UA-1 requires it: "skipped from heading level 3 to 5").
-- A heading deeper than the previous one + 1 is lifted to previous + 1; the text, which carries
-- the publication's own numbering, is unchanged.
local previous = 0

local function Header(h)
  if h.level > previous + 1 then
    h.level = previous + 1
    previous = h.level
    return h
  end
  previous = h.level
  return nil
end

return { { Header = Header } }
