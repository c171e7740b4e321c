-- Interview quotes and dialogues (content/README.md):
--   > « … »
--   >
--   > — Speaker                      → #interview-quote(speaker: [Speaker])[ … ]
--   > **Name** : …  (every turn)     → #dialogue[ … ]
-- Other block quotes keep pandoc's #quote(block: true).
package.path = (PANDOC_SCRIPT_FILE:match("(.*[/\\])") or "./") .. "?.lua;" .. package.path
local U = require "typst_util"

local DASHES = { "—", "–", "―" }

-- the inlines of a "— Speaker" paragraph without the dash, or nil
local function speaker_of(block)
  if not block or (block.t ~= "Para" and block.t ~= "Plain") then
    return nil
  end
  local inl = block.content
  local first = inl[1]
  if not first or first.t ~= "Str" then
    return nil
  end
  for _, dash in ipairs(DASHES) do
    if first.text:sub(1, #dash) == dash then
      local rest = pandoc.Inlines {}
      local head = first.text:sub(#dash + 1):gsub("^[%s\194\160]+", "")
      if head ~= "" then
        rest:insert(pandoc.Str(head))
      end
      for i = 2, #inl do
        if not (#rest == 0 and (inl[i].t == "Space" or inl[i].t == "SoftBreak")) then
          rest:insert(inl[i])
        end
      end
      if #rest > 0 then
        return rest
      end
    end
  end
  return nil
end

local function is_turn(block)
  if block.t ~= "Para" or block.content[1] == nil or block.content[1].t ~= "Strong" then
    return false
  end
  local after = pandoc.utils.stringify(pandoc.Inlines { table.unpack(block.content, 2, 4) })
  return after:match("^[%s\194\160\226\128\175]*:") ~= nil
end

local function length(blocks)
  return utf8.len(pandoc.utils.stringify(blocks)) or 0
end

local function BlockQuote(bq)
  local blocks = bq.content
  local speaker = speaker_of(blocks[#blocks])
  if speaker then
    local body = pandoc.Blocks { table.unpack(blocks, 1, #blocks - 1) }
    return U.builder()
      :raw("#interview-quote(length: " .. tostring(length(body)) .. ", speaker: [")
      :inlines(speaker)
      :raw("])[")
      :blocks(body)
      :raw("]")
      :result()
  end
  local turns = 0
  for _, b in ipairs(blocks) do
    if is_turn(b) then
      turns = turns + 1
    end
  end
  if turns >= 2 then
    return U.call("dialogue", "", blocks)
  end
  return nil
end

return { { BlockQuote = BlockQuote } }
