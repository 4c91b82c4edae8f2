import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IdParam } from './id-param.js';

class P {
  @IdParam()
  id!: number;
}
const check = (id: unknown) => {
  const p = plainToInstance(P, { id });
  const errors = validateSync(p);
  return { id: p.id, messages: errors.flatMap((e) => Object.values(e.constraints ?? {})) };
};

describe('IdParam (every id path parameter)', () => {
  it.each(['1', '4', '42', '9007199254740991'])('takes %p as a number', (v) => {
    expect(check(v)).toEqual({ id: Number(v), messages: [] });
  });

  it.each(['4.0', '1e3', '+4', '04', ' 4', '4 ', '0', '-1', 'abc', '', '0x10', '9007199254740992', '１２'])(
    'refuses %p with one reason naming the parameter and the value',
    (v) => {
      const { messages } = check(v);
      expect(messages).toEqual([`id must be a positive whole number written in digits, not '${v}'`]);
    },
  );
});
